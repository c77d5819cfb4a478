# sea-page-cache, guest side, in two boots. The host answers GUEST-PHASE?
# with the phase:
#   before  no agent: a tmpfs file's page is poisoned and read() (agent_victim
#           fileread): the guest kernel consumes the poison, and seavmm's
#           kernel policy applies (a restart by default: the next boot).
#   after   seavmm-agent runs: the file's page is mapped and poisoned, the
#           mapping read (SIGBUS); once the agent has offlined the page,
#           read() gives EIO and the mapping SIGBUS, never other bytes.
bad=""
. /tests/common.sh
echo "GUEST-PHASE?"
read -t 120 phase
echo "guest: phase ${phase:-none}"
case "$phase" in
before)
	agent_victim fileread
	bad="$bad read-returned"
	;;
after)
	agent_start
	agent_victim file
	rc=$?
	[ "$rc" = 0 ] || bad="$bad victim=$rc"
	hc=$(hw_corrupted)
	echo "guest: HardwareCorrupted ${hc} kB"
	[ "$hc" = 4 ] || bad="$bad corrupted=${hc}kB"
	;;
*) bad="$bad phase=$phase" ;;
esac
echo "GUEST-RESULT: ${bad:-ok}"
