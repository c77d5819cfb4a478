# timeout: 1500
# Issue 14 item 12, a stress run and not part of make check (it lives
# outside scenarios/): to run it, copy it there, then
#   flock /tmp/seavmm-int.lock tests/integration/run stress-start stress-start-gicv2
# Many 'seavmm run' starts under
# load, the answer pipe closing at once (with or without two lines first)
# or staying open, 1 and 2 vCPUs, each ended by SIGTERM
# after 0.2 to 3 s. Any death other than SIGTERM (a SIGSEGV at start once)
# is counted, with seavmm's last words and the kernel's report of a user
# fault or an oops (pc, fault address); the host-init prints them too for a
# failing scenario.
N=${STRESS_STARTS:-80}
bad=0
for i in $(seq "$N"); do
	cpus=$((i % 2 + 1))
	delay=$((200000 + (i * 7919 * 37) % 2800000))
	# Console input: EOF at once; two lines and EOF at once (as the crash
	# once had it); or none for a while.
	case $((i % 3)) in
	0) feed() { true; } ;;
	1) feed() { printf 'reboot\npoweroff\n'; } ;;
	2) feed() { sleep 4; } ;;
	esac
	feed | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --cpus $cpus -m 128M \
		--reboot=exit -p "console=ttyS0 quiet panic=-1 seavmm.test=banner" >out.$i 2>err.$i &
	pid=$!
	usleep $delay
	kill -TERM $pid 2>/dev/null
	wait $pid
	rc=$?
	case $rc in
	143 | 0) rm -f out.$i err.$i ;;
	*)
		bad=$((bad + 1))
		echo "start $i (cpus $cpus, input $((i % 3)), TERM after ${delay}us): status $rc"
		tail -n 3 err.$i | sed 's/^/    /'
		# A user fault, or an oops in seavmm's context (which also ends it with SIGSEGV).
		dmesg | grep -E -A 12 'unhandled|segfault|Unable to handle|Internal error' | tail -n 16 |
			sed 's/^/    /'
		;;
	esac
done
echo "$N starts, $bad ended otherwise than by SIGTERM"
[ "$bad" = 0 ] || exit 1
