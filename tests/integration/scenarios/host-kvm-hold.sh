# timeout: 30
# The emulated host holds one idle KVM VM for its whole life
# (tests/integration/progs/kvm_hold.c, started by host-init), so KVM's
# preempt-notifier static key is never re-patched while scenarios create and
# destroy VMs: with re-patching, our multi-threaded emulator runs stale code
# and leaves vCPUs half switched (docs/host-kernel-bugs.md).
pids=$(pidof kvm_hold)
[ -n "$pids" ] || { echo "no kvm_hold process: host-init did not hold a VM"; exit 1; }
for p in $pids; do
	if ls -l /proc/"$p"/fd 2>/dev/null | grep -q 'kvm-vm'; then
		echo "kvm_hold $p holds a VM: $(ls -l /proc/"$p"/fd | grep -c 'kvm-vm') kvm-vm file(s)"
		exit 0
	fi
done
echo "kvm_hold runs ($pids) but holds no VM file"
exit 1
