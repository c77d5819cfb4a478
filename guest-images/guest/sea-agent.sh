# sea-agent, guest side: seavmm-agent runs; a process's page is poisoned on
# the host and the process reads it (SIGBUS: the abort seavmm injects). The
# agent hears of the page from seavmm and offlines it; the process lives on,
# waits for that (agent_victim private) and reads it again: SIGBUS from the
# guest kernel now. Then most of free memory is allocated and written: the
# page is never handed out again, and the guest stays up.
bad=""
. /tests/common.sh
agent_start
agent_victim private
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
hc=$(hw_corrupted)
echo "guest: HardwareCorrupted ${hc} kB"
[ "$hc" = 4 ] || bad="$bad corrupted=${hc}kB"
agent_victim hog 60 || bad="$bad hog"
check_sleep
echo "GUEST-RESULT: ${bad:-ok}"
