# timeout: 300
# A shared page with the agent (lib/agent.sh): two guest processes share a
# page (MAP_SHARED|MAP_ANONYMOUS); the host poisons it; A reads it and dies
# of SIGBUS (the abort seavmm injects); seavmm-agent offlines the page (the
# guest kernel keeps it out of use); B reads it afterwards and dies of
# SIGBUS from the guest kernel, never reading other data; one error event
# only, and the page is guest_offlined everywhere.
. /scenarios/lib/agent.sh
feeder() {
	agent_connected || return
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-RESULT
}
feeder | agent_run sea-shared-page-agent
rc=$?
agent_show

sea_expect_poisoned
expect_guest_ok "$rc"
grep -q 'AGENT-VICTIM: A: SIGBUS si_code 3' out.txt || { echo "A did not get SIGBUS BUS_OBJERR"; exit 1; }
grep -q 'AGENT-VICTIM: A: died of SIGBUS' out.txt || { echo "A did not die of SIGBUS"; exit 1; }
grep -q 'AGENT-VICTIM: B: SIGBUS si_code 4' out.txt ||
	{ echo "B did not get SIGBUS BUS_MCEERR_AR from the guest kernel"; exit 1; }
grep -q 'AGENT-VICTIM: B: died of SIGBUS' out.txt || { echo "B did not die of SIGBUS"; exit 1; }
grep -q 'OTHER DATA' out.txt && { echo "a process read other data than it wrote"; exit 1; }
agent_expect_offlined
[ "$(grep -c '"source":"sea_exit"' events.json)" = 1 ] ||
	{ echo "want one error event (A's read), got $(grep -c '"source":"sea_exit"' events.json)"; exit 1; }
echo "sea-shared-page-agent ok"
