# timeout: 180
# The memory-error policy's restart: as sea-user-inject, but with
# --ras user=restart and --reboot=exit. The consumed error must restart the
# guest (a policy restart always restarts, whatever --reboot says) instead of
# injecting an abort; the bad page stays quarantined across the restart, the
# second boot runs to its end (the victim is told to skip) and powers off:
# exit status 0, one event (restart + quarantine) on stderr and in
# --ras-events.
. /scenarios/lib/guest.sh
trap 'sea_platform clear-all >/dev/null 2>&1' EXIT INT TERM HUP
sea_platform clear-all >/dev/null 2>&1
rm -f events.json

waitfor() { # waitfor PATTERN N: until out.txt shows PATTERN N times (90 s at most)
	i=0
	while [ "$(grep -c "$1" out.txt 2>/dev/null)" -lt "$2" ]; do
		[ $i -ge 900 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
feeder() {
	waitfor GUEST-READY-FOR-POISON 1 || { echo "no GUEST-READY-FOR-POISON" >poison.txt; return; }
	gpa=$(sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' | head -n1)
	pid=$(pidof seavmm)
	echo "$gpa" >gpa.txt
	sea_platform poison-guest "$pid" "$gpa" uer >poison.txt 2>&1
	echo poisoned
	# The second boot: seavmm still runs and holds the page in quarantine.
	waitfor GUEST-READY-FOR-POISON 2 || return
	sea_platform guest-pa "$pid" "$gpa" >after.txt 2>&1
	sea_platform clear-all >/dev/null 2>&1
	echo skip
	waitfor GUEST-WAITING-FOR-CLEAR 1 || return
	echo cleared
}
feeder | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit \
	--ras user=restart --ras-events events.json \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=sea" >out.txt 2>err.txt
rc=$?
sea_platform clear-all >/dev/null 2>&1
cat out.txt err.txt
echo "--- poison: $(cat poison.txt 2>/dev/null)"
echo "--- after: $(cat after.txt 2>/dev/null)"
echo "--- events.json:"
cat events.json 2>/dev/null

gpa=$(cat gpa.txt 2>/dev/null)
[ -n "$gpa" ] || { echo "the guest never reported its page's GPA"; exit 1; }
grep -q '^poisoned host PA' poison.txt || { echo "poisoning the guest page failed: $(tail -n1 poison.txt)"; exit 1; }
grep -q 'SEA-VICTIM: SIGBUS' out.txt && { echo "an abort was injected; want a restart instead"; exit 1; }
[ "$(grep -c GUEST-READY-FOR-POISON out.txt)" = 2 ] || { echo "the guest did not boot a second time"; exit 1; }
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "no restart message on stderr"; exit 1; }
expect_guest_ok "$rc"
line=$(grep "memory error: gpa $gpa " err.txt)
case "$line" in
*"-> restart the VM + quarantine; "*"user=restart"*) ;;
*) echo "event line is not a restart with quarantine: ${line:-none}"; exit 1 ;;
esac
[ "$(wc -l <events.json)" = 1 ] || { echo "want one record in events.json"; exit 1; }
for want in "\"gpa\":\"$gpa\"" '"inject":"none"' '"quarantine":true' '"escalate":"restart"'; do
	grep -qF "$want" events.json || { echo "events.json lacks $want"; exit 1; }
done
pa=$(sed -n 's/.*host PA \(0x[0-9a-f]*\).*/\1/p' poison.txt)
[ "$(cat after.txt)" != "$pa" ] || { echo "GPA $gpa is still backed by the poisoned host page $pa after the restart"; exit 1; }
echo "sea-policy-restart ok"
