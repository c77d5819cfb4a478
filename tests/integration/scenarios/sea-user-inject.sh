# timeout: 150
# A guest memory error end to end: a guest process (guest-images/guest/sea.sh,
# sea_victim) writes a page and reports its GPA; the host poisons the
# host-physical page behind it (sea_platform poison-guest: seavmm's guest RAM
# mapping and /proc/PID/pagemap) and lets the guest read it. KVM exits with
# KVM_EXIT_ARM_SEA; seavmm must inject a data abort (only that process dies
# of SIGBUS), quarantine the host page, report the event on stderr and in
# --ras-events, and the guest must run on and power off (exit status 0).
# Poison is cleared before seavmm can free the page, and on every way out.
. /scenarios/lib/guest.sh
trap 'sea_platform clear-all >/dev/null 2>&1' EXIT INT TERM HUP
sea_platform clear-all >/dev/null 2>&1
rm -f events.json

waitfor() { # waitfor PATTERN: until out.txt shows it (60 s at most)
	i=0
	while ! grep -q "$1" out.txt 2>/dev/null; do
		[ $i -ge 600 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
# The guest's console input, step by step; also does the host side.
feeder() {
	waitfor GUEST-READY-FOR-POISON || { echo "no GUEST-READY-FOR-POISON" >poison.txt; return; }
	gpa=$(sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' | head -n1)
	pid=$(pidof seavmm)
	echo "$gpa" >gpa.txt
	sea_platform poison-guest "$pid" "$gpa" uer >poison.txt 2>&1
	echo poisoned
	waitfor GUEST-WAITING-FOR-CLEAR
	# The quarantine moved the poisoned page away from the GPA's address.
	sea_platform guest-pa "$pid" "$gpa" >after.txt 2>&1
	sea_platform clear-all >/dev/null 2>&1
	echo cleared
}
t0=$(cut -d' ' -f1 /proc/uptime)
feeder | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit \
	--ras-events events.json -p "console=ttyS0 quiet panic=-1 seavmm.test=sea" >out.txt 2>err.txt
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
sea_platform clear-all >/dev/null 2>&1
cat out.txt err.txt
echo "--- poison: $(cat poison.txt 2>/dev/null)"
echo "--- after: $(cat after.txt 2>/dev/null)"
echo "--- events.json:"
cat events.json 2>/dev/null
echo "--- seavmm ran $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"

grep -q 'lacks KVM_CAP_ARM_SEA_TO_USER' err.txt &&
	{ echo "this host's kernel lacks KVM_CAP_ARM_SEA_TO_USER; it must have it"; exit 1; }
grep -q 'KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER)' err.txt &&
	{ echo "enabling KVM_CAP_ARM_SEA_TO_USER failed"; exit 1; }
gpa=$(cat gpa.txt 2>/dev/null)
[ -n "$gpa" ] || { echo "the guest never reported its page's GPA"; exit 1; }
grep -q '^poisoned host PA' poison.txt || { echo "poisoning the guest page failed: $(tail -n1 poison.txt)"; exit 1; }
grep -q 'SEA-VICTIM: SIGBUS si_code 3 ' out.txt ||
	{ echo "the guest process got no SIGBUS BUS_OBJERR for its page"; exit 1; }
grep -q 'SEA-VICTIM: child killed by signal 7 (SIGBUS)' out.txt ||
	{ echo "the guest process did not die of SIGBUS"; exit 1; }
expect_guest_ok "$rc"
line=$(grep "memory error: gpa $gpa " err.txt)
[ -n "$line" ] || { echo "no event line for gpa $gpa on stderr"; exit 1; }
case "$line" in
*"dabt_low sea set=uer el=0 -> inject data abort + quarantine; "*) ;;
*) echo "event line is not an EL0 UER data abort injected and quarantined: $line"; exit 1 ;;
esac
[ "$(grep -c 'memory error:' err.txt)" = 1 ] || { echo "want exactly one event line on stderr"; exit 1; }
[ -f events.json ] || { echo "no --ras-events file"; exit 1; }
[ "$(wc -l <events.json)" = 1 ] || { echo "want one record in events.json, got $(wc -l <events.json)"; exit 1; }
for want in "\"gpa\":\"$gpa\"" '"source":"sea_exit"' '"el":0' '"inject":"data"' \
	'"quarantine":true' '"escalate":"none"' '"set":"uer"' '"vector":"0x400"'; do
	grep -qF "$want" events.json || { echo "events.json lacks $want"; exit 1; }
done
pa=$(sed -n 's/.*host PA \(0x[0-9a-f]*\).*/\1/p' poison.txt)
after=$(cat after.txt)
[ "$after" != "$pa" ] || { echo "GPA $gpa is still backed by the poisoned host page $pa"; exit 1; }
echo "sea-user-inject ok"
