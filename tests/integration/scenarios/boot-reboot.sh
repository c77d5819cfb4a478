# timeout: 300
# A guest that reboots is restarted in the same process (same pid, second
# boot powers off, exit 0); with --reboot=exit seavmm exits at the reset.
# The stand-in guest kernels (guest-images/stub/stub.S): /guest/stub-*.img.
answer() { # answer MARKER COUNT TEXT: once out.txt shows MARKER COUNT times, send TEXT
	i=0
	# grep -c prints nothing while out.txt does not exist yet: count that as 0,
	# or both answers would go out before the first boot and the second be lost.
	while n=$(grep -c "$1" out.txt 2>/dev/null); [ "${n:-0}" -lt "$2" ] && [ ! -s err.txt ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$3"
}
boot() {
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -m 128M \
		-p "console=ttyS0 quiet panic=-1 seavmm.test=reboot" "$@" >out.txt 2>err.txt
}

# check LABEL BOOTS: seavmm exited 0 after the guest booted BOOTS times
check() {
	rc=$1
	cat out.txt err.txt
	boots=$(grep -c GUEST-AWAITING-COMMAND out.txt)
	[ "$rc" = 0 ] || { echo "$2: seavmm exited with status $rc, want 0"; exit 1; }
	[ "$boots" = "$3" ] || { echo "$2: the guest booted $boots times, want $3"; exit 1; }
}

{ answer GUEST-AWAITING-COMMAND 1 reboot; answer GUEST-AWAITING-COMMAND 2 poweroff; } | boot
check $? restart 2
grep -q 'GUEST-COMMAND: poweroff' out.txt || { echo "restart: the second boot did not get its command"; exit 1; }

# --reboot=exit: a guest that resets at once (the stand-in guest) is enough.
rm -f out.txt err.txt
seavmm run -k /guest/stub-reset.img -m 128M --reboot=exit </dev/null >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
[ "$rc" = 0 ] || { echo "--reboot=exit: seavmm exited with status $rc, want 0"; exit 1; }
[ "$(grep -c 'STUB-GUEST: reset' out.txt)" = 1 ] || { echo "--reboot=exit: the guest did not run exactly once"; exit 1; }
grep -q 'reboot=exit' err.txt || { echo "--reboot=exit: no note that seavmm exited on the reset"; exit 1; }
echo "boot-reboot ok"
