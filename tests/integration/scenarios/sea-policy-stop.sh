# timeout: 240
# The memory-error policy's stop (lib/sea.sh): as sea-user-inject, but with
# --ras user=stop. The consumed error must stop the guest at once (no abort
# injected, nothing more from the guest) and seavmm must exit with status 3
# ("stopped by the memory-error policy"), with one event (stop + retire)
# on stderr and in --ras-events. sea_platform hold-exit clears the poison as
# seavmm exits (the frame itself is retired by the host kernel).
. /scenarios/lib/sea.sh
feeder() {
	sea_poison_victim
	echo poisoned
}
feeder | sea_run --ras user=stop
rc=$?
sea_show

sea_expect_poisoned
[ "$rc" = 3 ] || { echo "seavmm exited with status $rc, want 3 (stopped by the memory-error policy)"; exit 1; }
grep -q 'is exiting: all poison cleared' hold.txt ||
	{ echo "the poison was not cleared at seavmm's exit: $(cat hold.txt)"; exit 1; }
grep -q 'SEA-VICTIM: SIGBUS\|GUEST-WAITING-FOR-CLEAR' out.txt &&
	{ echo "the guest ran on after the error; want it stopped"; exit 1; }
grep -q 'stopped the guest, as the memory-error policy decided (see the event above); exit status 3' err.txt ||
	{ echo "no stop message on stderr"; exit 1; }
sea_expect_line "a stop, the frame retired" '*-> stop the VM + retire=hwpoison poison=poisoned; *user=stop*'
sea_expect_record '"inject":"none"' '"quarantine":true' '"retire":"hwpoison"' '"escalate":"stop"'
echo "sea-policy-stop ok"
