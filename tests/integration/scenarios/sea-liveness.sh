# timeout: 300
# Liveness (lib/agent.sh): with --ras kernel=inject the guest kernel consumes
# poison inside write() (guest-images/guest/sea-liveness.sh), oopses, and
# with oops=panic panic=0 stays halted: the agent's heartbeat stops. seavmm
# must notice within liveness_timeout (5 s here) of the last heartbeat,
# report it (stderr, a liveness record) and restart the guest as
# liveness=restart (the default) says; the second boot runs to its end and
# powers off (exit status 0).
. /scenarios/lib/agent.sh
feeder() {
	agent_connected || return
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	echo skip
	sea_waitfor GUEST-RESULT
}
feeder | AGENT_PANIC="oops=panic panic=0" agent_run sea-liveness --ras kernel=inject \
	--ras liveness_timeout=5s
rc=$?
agent_show

sea_expect_poisoned
# The oops (oops=panic makes it a panic, which panic=0 never ends; a slow
# console may still be printing the oops when seavmm steps in).
grep -q 'Internal error: synchronous external abort' out.txt ||
	{ echo "the guest kernel did not oops on the poison"; exit 1; }
[ "$(grep -c GUEST-READY-FOR-POISON out.txt)" = 2 ] || { echo "the guest did not boot a second time"; exit 1; }
expect_guest_ok "$rc"
sea_expect_line "an EL1 data abort injected" '* dabt_low sea set=uer el=1 -> inject data abort *kernel=inject*'
line=$(grep 'agent: no word from the guest agent' err.txt)
case "$line" in
*' s after a memory error: restarting the guest (liveness=restart)') ;;
*) echo "no liveness line on stderr: ${line:-none}"; exit 1 ;;
esac
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "the guest was not restarted"; exit 1; }
rec=$(grep '"kind":"agent","event":"liveness"' events.json)
idle=$(echo "$rec" | sed -n 's/.*"idle_ms":\([0-9]*\),"timeout_ms":5000,"escalate":"restart".*/\1/p')
[ -n "$idle" ] || { echo "no liveness record with timeout 5000 ms and escalate restart: ${rec:-none}"; exit 1; }
# Bounded: silent for the timeout after the last heartbeat, plus at most a few ticks.
[ "$idle" -ge 5000 ] && [ "$idle" -le 8000 ] ||
	{ echo "seavmm acted after $idle ms of silence; want 5000 to 8000"; exit 1; }
echo "--- the guest was silent $idle ms before seavmm restarted it"
[ "$(grep -c '"event":"liveness"' events.json)" = 1 ] || { echo "want one liveness record"; exit 1; }
echo "sea-liveness ok"
