# timeout: 240
# make run: what seavmm sees in this host, then a demo guest booted with
# 'seavmm run' (Debian's arm64 kernel, the busybox initramfs from
# guest-images/) that prints a banner and powers off; then the reason seavmm
# exists: a guest process reads memory whose host page is poisoned (the
# emulated RAS platform, lib/sea.sh), and seavmm turns the KVM_EXIT_ARM_SEA
# into a SIGBUS for that process alone, retires the bad frame (the page stays
# poisoned), and reports it.
echo "--- seavmm probe in the emulated arm64 host ($(uname -r)) ---"
seavmm probe
echo
echo "--- seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M ---"
start=$(cut -d' ' -f1 /proc/uptime)
seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=banner"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
echo "--- seavmm exited with status $rc after $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s ---"
[ "$rc" = 0 ] || exit $rc

echo
echo "--- a guest memory error: seavmm run ... --ras-events events.json -p '... seavmm.test=sea' ---"
echo "--- (the host poisons the host page behind the victim's page once it is ready) ---"
. /scenarios/lib/sea.sh
: >out.txt
feeder() {
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	sea_platform clear-all >/dev/null 2>&1
	echo cleared
}
feeder | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M --reboot=exit \
	--ras-events events.json -p "console=ttyS0 quiet panic=-1 seavmm.test=sea" 2>&1 | tee out.txt
rc=$(grep -c 'GUEST-RESULT: ok' out.txt)
echo "--- the event record (events.json, docs/events.md) ---"
cat events.json 2>/dev/null
[ "$rc" = 1 ] && grep -q 'memory error:.*-> inject data abort + retire=hwpoison poison=poisoned' out.txt || {
	echo "--- the memory-error demo did not go as it should; see the output above ---"
	exit 1
}
echo "--- the process that read the poisoned page died of SIGBUS; the guest ran on ---"
