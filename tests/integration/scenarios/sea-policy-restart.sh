# timeout: 300
# The memory-error policy's restart (lib/sea.sh): as sea-user-inject, but with
# --ras user=restart and --reboot=exit. The consumed error must restart the
# guest (a policy restart always restarts, whatever --reboot says) instead of
# injecting an abort; the bad frame stays retired across the restart; the
# second boot runs to its end (its victim is told to skip) and powers off:
# exit status 0, one event (restart + retire) on stderr and in
# --ras-events.
. /scenarios/lib/sea.sh
feeder() {
	sea_poison_victim
	echo poisoned
	# The second boot: fresh memory behind every GPA.
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >after.txt 2>&1
	sea_platform clear-all >/dev/null 2>&1
	echo skip
	sea_waitfor GUEST-WAITING-FOR-CLEAR || return
	echo cleared
}
feeder | sea_run --ras user=restart
rc=$?
sea_show

sea_expect_poisoned
grep -q 'SEA-VICTIM: SIGBUS' out.txt && { echo "an abort was injected; want a restart instead"; exit 1; }
[ "$(grep -c GUEST-READY-FOR-POISON out.txt)" = 2 ] || { echo "the guest did not boot a second time"; exit 1; }
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "no restart message on stderr"; exit 1; }
expect_guest_ok "$rc"
sea_expect_line "a restart, the frame retired" '*-> restart the VM + retire=hwpoison poison=poisoned; *user=restart*'
sea_expect_record '"inject":"none"' '"quarantine":true' '"retire":"hwpoison"' '"escalate":"restart"'
# The restart ended the page's virtual poison: fresh memory behind every GPA.
grep -q "\"kind\":\"poison_state\",\"gpa\":\"$gpa\",\"poison\":\"restart\",\"by\":\"restart\"" events.json ||
	{ echo "no poison_state record saying the restart ended the poison"; exit 1; }
[ "$(cat after.txt)" != "$pa" ] ||
	{ echo "GPA $gpa is still backed by the poisoned host page $pa after the restart"; exit 1; }
echo "sea-policy-restart ok"
