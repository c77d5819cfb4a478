# timeout: 360
# seavmm's core dumps never read poison: guest RAM is left out of them
# (MADV_DONTDUMP, unless --dump-guest-core) and a retired frame is a hwpoison
# entry a dump skips. seavmm dies of SIGABRT with core dumps on, twice: once
# while a retired frame exists (a guest process consumed poison), once while
# a poisoned page is not yet retired (poisoned on the platform, never
# touched: a dump of guest RAM would read it in the host kernel, which
# cannot recover). The emulated host must not consume the poison (no SEA in
# its kernel, no panic) and runs on; each core is small (no guest RAM in it).
# The second run's guest is the idling stand-in kernel: its device tree's page
# (the address it prints), which seavmm wrote and it never reads, is the
# untouched poisoned page, and no Linux boot is needed for it.
. /scenarios/lib/sea.sh
ulimit -c unlimited
echo "$PWD/core.%p" >/proc/sys/kernel/core_pattern
klines=$(dmesg | wc -l)
rm -f core.*

# $1: "consume" (the victim reads its page first) or "untouched" (the
# stand-in guest's device tree page).
feeder() {
	if [ "$1" = consume ]; then
		sea_poison_victim
		echo poisoned
		sea_waitfor GUEST-WAITING-FOR-CLEAR
	else
		sea_waitfor 'STUB-GUEST: idle dtb=' || return
		sed -n 's/.*STUB-GUEST: idle dtb=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' >gpa.txt
		pidof seavmm >pid.txt
		sea_poison_victim_at
	fi
	kill -ABRT "$(cat pid.txt)"
}
# stub_run: the idling stand-in guest as sea_run runs Linux.
stub_run() {
	seavmm run -k /guest/stub-idle.img --mem 256M --ras-events events.json >out.txt 2>err.txt
}
# dump_run CASE RUN: feeder CASE into RUN (sea_run or stub_run).
dump_run() {
	# The first run's pid must not stand for the second's seavmm.
	rm -f pid.txt gpa.txt poison.txt hold.txt out.txt err.txt events.json
	feeder "$1" | "$2"
	echo "$?" >"rc-$1.txt"
	sea_show >"show-$1.txt" 2>&1
	mv out.txt "out-$1.txt"
	mv err.txt "err-$1.txt"
	rm -f events.json
}
dump_run consume sea_run
dump_run untouched stub_run
cat show-consume.txt show-untouched.txt
ls -l core.* 2>&1
echo "--- host kernel since the start:"
dmesg | tail -n +$((klines + 1)) | tail -n 20

[ "$(cat rc-consume.txt)" = 134 ] && [ "$(cat rc-untouched.txt)" = 134 ] ||
	{ echo "seavmm did not die of SIGABRT both times (status $(cat rc-consume.txt), $(cat rc-untouched.txt))"; exit 1; }
grep -q 'retire=hwpoison' err-consume.txt || { echo "the first run did not retire the frame"; exit 1; }
grep -q 'memory error:' err-untouched.txt && { echo "the second run's page was touched"; exit 1; }
[ "$(ls core.* 2>/dev/null | wc -l)" = 2 ] || { echo "want two core files"; exit 1; }
for c in core.*; do
	kb=$(du -k "$c" | cut -f1)
	[ "$kb" -lt 65536 ] || { echo "$c is $kb KiB: guest RAM (256M) went into the dump"; exit 1; }
done
dmesg | tail -n +$((klines + 1)) | grep -q -i -E 'synchronous external abort|Internal error|Kernel panic' &&
	{ echo "the host kernel consumed poison"; exit 1; }
rm -f core.*
echo "sea-core-dump ok"
