# timeout: 300
# The memory-error policy on the host SIGBUS path (lib/sigbus.sh): as
# sigbus-user-inject, but with --ras user=restart and --reboot=exit. The AO
# is reported as before; the AR (the guest process reads the hwpoisoned page)
# must restart the guest instead of injecting an abort, with the page
# kept poisoned until the restart. The vCPU threads end and start again; the second boot runs to
# its end (its victim is told to skip) and powers off: exit status 0, two
# events on stderr and in --ras-events.
. /scenarios/lib/sigbus.sh
feeder() {
	sigbus_poison_victim || { echo skip; return; }
	echo poisoned
	# The second boot: fresh memory behind every GPA.
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >after.txt 2>&1
	echo skip
	sea_waitfor GUEST-WAITING-FOR-CLEAR || return
	echo cleared
}
feeder | sea_run --ras user=restart
rc=$?
sigbus_show

sigbus_expect_poisoned
grep -q 'SEA-VICTIM: SIGBUS' out.txt && { echo "an abort was injected; want a restart instead"; exit 1; }
[ "$(grep -c GUEST-READY-FOR-POISON out.txt)" = 2 ] || { echo "the guest did not boot a second time"; exit 1; }
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "no restart message on stderr"; exit 1; }
expect_guest_ok "$rc"
sea_expect_line "an AR restart on the poisoned page" \
	'* el=0 -> restart the VM + retire=already poison=poisoned; poisoned: EL0 data sea UER: restart (user=restart)*' \
	"memory error: gpa $gpa gva - dabt_low sea set=uer "
sigbus_expect_records '"inject":"none"' '"escalate":"restart"'
# The restart gave every GPA fresh memory (the hwpoison entry dropped).
sigbus_expect_fresh after.txt
echo "sigbus-policy-restart ok"
