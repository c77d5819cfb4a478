# timeout: 420
# An agent that says wrong things (lib/agent.sh, guest-images/progs/
# agent_hostile.c): before HELLO, bytes that are no message, a 100 KiB line,
# a HELLO with no version in common, claims for a poisoned page with the
# wrong sequence number and for pages never told, an errno out of range, a
# flood of 50000 lines, and a close in the middle of a message. seavmm must
# record each kind (stderr, a --ras-events record), end no virtual poison
# for any of it, keep stderr short, and run on: the real seavmm-agent then
# offlines the page, and the guest powers off (exit status 0).
. /scenarios/lib/agent.sh
feeder() {
	waitfor_in err.txt 'agent: hostile/1 connected (protocol 1)' 1 1200 || return
	sea_poison_victim
	echo poisoned
	waitfor_in out.txt GUEST-RESULT 1 3000
}
feeder | agent_run sea-agent-hostile
rc=$?
agent_show

sea_expect_poisoned
expect_guest_ok "$rc"
grep -q "HOSTILE: told gpa $gpa seq 1" out.txt || { echo "seavmm did not tell the hostile agent about $gpa"; exit 1; }
grep -q 'HOSTILE: done' out.txt || { echo "agent_hostile did not get through its list"; exit 1; }
for kind in early garbage overlong version unsolicited flood truncated; do
	grep -q "\"kind\":\"agent\",\"event\":\"$kind\"" events.json ||
		{ echo "events.json has no agent record of kind $kind"; exit 1; }
	grep -q "agent: ignored .*($kind: " err.txt || { echo "stderr does not report the $kind line(s)"; exit 1; }
done
grep -q "\"event\":\"unsolicited\",\"count\":1,\"gpa\":\"$gpa\",\"line\":\"OFFLINED $gpa 2 0\"" events.json ||
	{ echo "the claim with the wrong sequence number was not recorded as unsolicited"; exit 1; }
grep -q '"event":"disconnected","unanswered":1' events.json ||
	{ echo "the hostile agent's disconnect with the page unanswered was not recorded"; exit 1; }
# Only the real agent ended the poison, after it connected.
[ "$(grep -c "now guest_offlined (by guest_agent)" err.txt)" = 1 ] || { echo "want one guest_offlined line"; exit 1; }
real=$(grep -n 'agent: seavmm-agent/[^ ]* connected' err.txt | head -n1 | cut -d: -f1)
off=$(grep -n "poison: gpa $gpa now guest_offlined" err.txt | cut -d: -f1)
[ -n "$real" ] && [ -n "$off" ] && [ "$off" -gt "$real" ] ||
	{ echo "the page was offlined before the real agent connected"; exit 1; }
agent_expect_offlined
# Reports are bounded: one line per kind at once, then one per 10 s.
n=$(grep -c 'agent: ignored' err.txt)
[ "$n" -le 30 ] || { echo "seavmm wrote $n lines about the hostile agent; want at most 30"; exit 1; }
echo "sea-agent-hostile ok"
