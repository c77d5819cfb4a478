# sea-page-cache, guest side. seavmm-agent runs; a tmpfs file's page is
# mapped, poisoned on the host and read through the mapping (SIGBUS); once
# the agent has offlined it, read() of the file gives EIO and the mapping
# SIGBUS, never other bytes (agent_victim file). Then the agent is stopped
# and another file's page is poisoned and read() before anything offlined it
# (agent_victim fileread): the guest kernel consumes the poison, and
# seavmm's kernel policy decides (the scenario says stop).
bad=""
. /tests/common.sh
agent_start
agent_victim file
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
hc=$(hw_corrupted)
echo "guest: HardwareCorrupted ${hc} kB"
[ "$hc" = 4 ] || bad="$bad corrupted=${hc}kB"
echo "GUEST-AFTER-OFFLINE: ${bad:-ok}"
kill "$agent_pid"
wait "$agent_pid"
agent_victim fileread
echo "GUEST-RESULT: read() returned: the guest kernel's consumption was not stopped"
