# timeout: 300
# A guest memory error end to end (lib/sea.sh): a guest process writes a page
# and reports its GPA; the host poisons the host page behind it (sea_platform
# poison-guest: seavmm's guest RAM mapping and /proc/PID/pagemap) and lets
# the guest read it. KVM exits with KVM_EXIT_ARM_SEA; seavmm (2 vCPUs) must
# inject a data abort so that only that process dies of SIGBUS, retire the
# host frame through the host kernel (a hwpoison entry at the GPA's address:
# the page stays poisoned), report the event on stderr and in --ras-events,
# and the guest must run on and power off (exit status 0).
. /scenarios/lib/sea.sh
t0=$(cut -d' ' -f1 /proc/uptime)
rm -f ledger.txt
sea_feed | sea_run --cpus 2 --ras-ledger ledger.txt
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
sea_show
echo "--- seavmm ran $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"

sea_expect_poisoned
grep -q 'SEA-VICTIM: SIGBUS si_code 3 ' out.txt ||
	{ echo "the guest process got no SIGBUS BUS_OBJERR for its page"; exit 1; }
grep -q 'SEA-VICTIM: child killed by signal 7 (SIGBUS)' out.txt ||
	{ echo "the guest process did not die of SIGBUS"; exit 1; }
expect_guest_ok "$rc"
sea_expect_line "an EL0 UER data abort injected, the frame retired" \
	'* dabt_low sea set=uer el=0 -> inject data abort + retire=hwpoison poison=poisoned; *user=inject*'
[ "$(grep -c 'memory error:' err.txt)" = 1 ] || { echo "want exactly one event line on stderr"; exit 1; }
sea_expect_record '"inject":"data"' '"quarantine":true' '"retire":"hwpoison"' '"poison":"poisoned"' \
	'"guest_informed":true' '"escalate":"none"' '"vector":"0x400"'
[ "$(cat after.txt)" = hwpoison-entry ] ||
	{ echo "GPA $gpa shows $(cat after.txt) after the error, want the host kernel's hwpoison entry"; exit 1; }
# The ledger kept the page, and a later run starts from it (and compacts it).
echo "--- ledger.txt:"
cat ledger.txt
[ "$(grep -c " gpa=$gpa " ledger.txt)" = 1 ] || { echo "ledger.txt does not hold the page $gpa once"; exit 1; }
# What is checked is seavmm's start-up: the stand-in guest (powers off at once) will do.
seavmm run -k /guest/stub-off.img --mem 128M --reboot=exit --ras-ledger ledger.txt </dev/null >out2.txt 2>err2.txt
rc=$?
cat err2.txt
[ "$rc" = 0 ] || { echo "the run after the error exited with status $rc, want 0"; exit 1; }
grep -q -- '--ras-ledger ledger.txt: 1 poisoned page(s) from earlier runs' err2.txt ||
	{ echo "the next run did not load the page from the ledger"; exit 1; }
[ "$(wc -l <ledger.txt)" = 1 ] || { echo "the ledger was not compacted to one line"; exit 1; }
echo "sea-user-inject ok"
