# sea-agent-hostile, guest side: agent_hostile takes the agent's port first
# and says every wrong thing (see guest-images/progs/agent_hostile.c) while a
# process's page is poisoned and read (SIGBUS). Once it has gone, the real
# seavmm-agent starts, is told about the page again, and offlines it: the
# process, still alive, sees the page offlined and gets SIGBUS reading it.
bad=""
. /tests/common.sh
(
	agent_hostile
	echo "guest: agent_hostile exited with status $?"
	exec seavmm-agent 2>&1
) &
agent_victim private 240
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
hc=$(hw_corrupted)
echo "guest: HardwareCorrupted ${hc} kB"
[ "$hc" = 4 ] || bad="$bad corrupted=${hc}kB"
echo "GUEST-RESULT: ${bad:-ok}"
