# sea-shared-page-agent, guest side: two processes share a page
# (MAP_SHARED|MAP_ANONYMOUS, agent_victim shared); the host poisons it and
# A reads it: SIGBUS. seavmm-agent offlines the page; then B reads it:
# SIGBUS, never other data.
bad=""
. /tests/common.sh
agent_start
agent_victim shared
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
hc=$(hw_corrupted)
echo "guest: HardwareCorrupted ${hc} kB"
[ "$hc" = 4 ] || bad="$bad corrupted=${hc}kB"
check_sleep
echo "GUEST-RESULT: ${bad:-ok}"
