# timeout: 360
# The guest kernel consumes poison: a guest process write()s a poisoned
# buffer into a pipe, so copy_from_user in the guest kernel (EL1) meets it.
# Under the default policy (kernel=restart: a Debian guest kernel oopses on
# such an abort and may hang, docs/policy.md) the VM must restart and run
# again: the event says so, the page's poison ends with the restart, and the
# second boot runs to its end and powers off.
. /scenarios/lib/sea.sh
feeder() {
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	sea_platform clear-all >/dev/null 2>&1
	echo skip
	sea_waitfor GUEST-WAITING-FOR-CLEAR || return
	echo cleared
}
feeder | access_run kwrite
rc=$?
sea_show

sea_expect_poisoned
grep -q 'write() returned' out.txt && { echo "write() of the poisoned buffer returned"; exit 1; }
[ "$(grep -c GUEST-READY-FOR-POISON out.txt)" = 2 ] || { echo "the guest did not boot again"; exit 1; }
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "no restart message on stderr"; exit 1; }
expect_guest_ok "$rc"
sea_expect_records 1
rec_has "$rec_1" "guest kernel's" '"source":"sea_exit"' '"el":1' '"escalate":"restart"' \
	'kernel=restart' '"retire":"hwpoison"'
grep -q "\"kind\":\"poison_state\",\"gpa\":\"$gpa\",\"poison\":\"restart\"" events.json ||
	{ echo "no poison_state record: the restart should end the page's poison"; exit 1; }
echo "sea-kernel ok"
