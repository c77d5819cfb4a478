# timeout: 120
# A guest that resets is restarted in the same process (same pid, second boot
# powers off, exit 0); with --reboot=exit seavmm exits at the reset. The
# stand-in guest kernels (guest-images/stub/stub.S, /guest/stub-*.img) are
# enough: what is checked is seavmm's restart (vCPUs reset, RAM discarded, the
# kernel loaded again, the console carried over), not Linux's reboot, and the
# policy restarts (sea-policy-restart and others) boot Linux a second time.
answer() { # answer MARKER COUNT TEXT: once out.txt shows MARKER COUNT times, send TEXT
	i=0
	# grep -c prints nothing while out.txt does not exist yet: count that as 0,
	# or both answers would go out before the first boot and the second be lost.
	while n=$(grep -c "$1" out.txt 2>/dev/null); [ "${n:-0}" -lt "$2" ] && [ ! -s err.txt ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	printf '%s' "$3"
}

# The command stand-in asks once per boot: reset the first time, power off the second.
rm -f out.txt err.txt
{ answer 'STUB-GUEST: command?' 1 r; answer 'STUB-GUEST: command?' 2 p; } |
	seavmm run -k /guest/stub-cmd.img -m 128M >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
[ "$rc" = 0 ] || { echo "restart: seavmm exited with status $rc, want 0"; exit 1; }
[ "$(grep -c 'STUB-GUEST: command?' out.txt)" = 2 ] || { echo "restart: the guest did not boot exactly twice"; exit 1; }
[ "$(grep -c 'STUB-GUEST: reset' out.txt)" = 1 ] && [ "$(grep -c 'STUB-GUEST: power off' out.txt)" = 1 ] ||
	{ echo "restart: want one reset then one power off"; exit 1; }
# Both boots got the same device tree address: the second boot is laid out as the first.
[ "$(grep -o 'dtb=0x[0-9a-f]*' out.txt | sort -u | wc -l)" = 1 ] ||
	{ echo "restart: the two boots had different device tree addresses"; exit 1; }

# --reboot=exit: a guest that resets at once is enough.
rm -f out.txt err.txt
seavmm run -k /guest/stub-reset.img -m 128M --reboot=exit </dev/null >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
[ "$rc" = 0 ] || { echo "--reboot=exit: seavmm exited with status $rc, want 0"; exit 1; }
[ "$(grep -c 'STUB-GUEST: reset' out.txt)" = 1 ] || { echo "--reboot=exit: the guest did not run exactly once"; exit 1; }
grep -q 'reboot=exit' err.txt || { echo "--reboot=exit: no note that seavmm exited on the reset"; exit 1; }
echo "boot-reboot ok"
