# timeout: 60
# Each bad input gives one line on stderr naming the problem and its exit
# status: 2 for usage errors and unusable input, 1 for runtime failures
# (no KVM). None of these boots a guest.
fails=0
# check STATUS PATTERN CMD...: CMD exits STATUS with one stderr line matching PATTERN
check() {
	want=$1 pat=$2
	shift 2
	"$@" </dev/null >out 2>err
	rc=$?
	lines=$(wc -l <err)
	if [ "$rc" != "$want" ] || [ "$lines" != 1 ] || ! grep -q -- "$pat" err; then
		echo "FAILED: $*: status $rc (want $want), $lines stderr lines (want 1):"
		sed 's/^/    /' err
		fails=$((fails + 1))
	else
		echo "ok $rc: $*: $(cat err)"
	fi
}
# expect STATUS PATTERN ARGS...: the same for seavmm run ARGS
expect() {
	want=$1 pat=$2
	shift 2
	check "$want" "$pat" seavmm run "$@"
}
K=/guest/Image
head -c 1000000 $K >truncated.img
head -c 40 $K >tiny.img
printf 'not a kernel at all, just text\n%.0s' $(seq 10) >text.img
dd if=/dev/zero of=big.initrd bs=1M count=40 2>/dev/null

expect 2 'cannot open kernel' -k /nonexistent/Image
expect 2 'not a regular file' -k /tmp
expect 2 'not an arm64 Linux Image: an ELF file' -k /bin/busybox
expect 2 'not an arm64 Linux Image' -k text.img
expect 2 'truncated' -k truncated.img
expect 2 'truncated' -k tiny.img
expect 2 'cannot open initrd' -k $K -i /nonexistent/initrd
expect 2 'initrd .* does not fit' -k $K -i big.initrd -m 64M
# An empty initrd, a 2 GiB sparse one, and a header whose image_size is
# near 2^64 (it once wrapped around and "fitted").
: >empty.initrd
expect 2 "initrd 'empty.initrd' is empty" -k $K -i empty.initrd
dd if=/dev/zero of=huge.initrd bs=1M count=0 seek=2048 2>/dev/null
expect 2 'initrd .* does not fit' -k $K -i huge.initrd -m 64M
head -c 1000000 $K >hugesize.img
printf '\360\377\377\377\377\377\377\377' | dd of=hugesize.img bs=1 seek=16 conv=notrunc 2>/dev/null
expect 2 'implausible image_size' -k hugesize.img
expect 2 'not a multiple of 2M; give e.g. 64M or 66M' -k $K -m 65M
expect 2 'not a whole number of 4K pages' -k $K -m 65537K
expect 2 'not a size' -k $K -m lots
expect 2 'not a size' -k $K -m 12X
expect 2 'too small' -k $K -m 1M
expect 2 'too large' -k $K -m 99999999999T
expect 2 "more than this host's RAM" -k $K -m 64T
expect 2 'at least one vCPU' -k $K -c 0
expect 2 'not a number' -k $K -c two
expect 2 "more than this host's KVM allows" -k $K -c 1000
expect 2 'no kernel given' -m 128M
expect 2 'unknown option' -k $K --frobnicate
expect 2 'needs a value' -k
expect 2 'reboot=restart or --reboot=exit' -k $K --reboot=sometimes
printf 'uc = stop\n\nkernel = panic\n' >bad.policy
expect 2 'bad.policy:3: bad value .panic. for kernel; use one of inject|restart|stop' -k $K --ras-policy bad.policy
expect 2 'ras-policy /nonexistent/ras.policy: No such file' -k $K --ras-policy /nonexistent/ras.policy
expect 2 "ras uc=inject: bad value 'inject' for uc" -k $K --ras uc=inject
expect 2 'ras-events /nonexistent/ev.json: No such file' -k $K --ras-events /nonexistent/ev.json
expect 2 'ras-ledger /nonexistent/ledger: No such file' -k $K --ras-ledger /nonexistent/ledger
# Files seavmm writes are never opened through a symbolic link.
echo precious >victim
ln -s victim link.json
ln -s victim link.dtb
ln -s victim link.ledger
expect 2 'ras-events link.json is a symbolic link' -k $K --ras-events link.json
expect 2 'ras-ledger link.ledger is a symbolic link' -k $K --ras-ledger link.ledger
expect 2 'dump-dtb link.dtb is a symbolic link' -k $K --dump-dtb link.dtb
[ "$(cat victim)" = precious ] || { echo "FAILED: a symlinked output file was written through"; fails=$((fails + 1)); }
# A ledger another seavmm holds: that one waits to open its kernel (a FIFO
# nobody writes yet), after it took the ledger's lock.
busybox mkfifo held.fifo
seavmm run -k held.fifo --ras-ledger held.ledger 2>held.err &
holder=$!
for _ in $(seq 50); do [ -s held.ledger.lock ] && break; usleep 100000; done
expect 2 "ras-ledger held.ledger is in use by another seavmm (pid $holder holds held.ledger.lock)" -k $K --ras-ledger held.ledger
# A subshell: seavmm may have read and closed the FIFO before the write (SIGPIPE).
(echo >held.fifo) 2>/dev/null
wait $holder
expect 1 'no such device' -k $K --kvm /nonexistent/kvm
expect 1 'not a KVM device' -k $K --kvm /dev/null
# No permission on /dev/kvm (0600 root here, as without udev): the same
# commands as user nobody.
expect_user() {
	want=$1 pat=$2
	shift 2
	check "$want" "$pat" timeout 20 run_as 65534 65534 seavmm "$@"
}
expect_user 1 'permission denied' run -k $K
expect_user 1 'permission denied' probe

seavmm run --help >help.out 2>&1 && grep -q -- '--kernel' help.out || { echo "FAILED: seavmm run --help"; fails=$((fails + 1)); }
seavmm version | grep -q '^seavmm ' || { echo "FAILED: seavmm version"; fails=$((fails + 1)); }
[ "$fails" = 0 ] || { echo "$fails bad-input cases misbehaved"; exit 1; }
echo "bad-input ok"
