# timeout: 300
# The guest agent takes a poisoned page out of use (lib/agent.sh): with
# --agent and seavmm-agent in the guest, a process's page is poisoned on the
# host and read (seavmm injects the abort: SIGBUS). seavmm tells the agent,
# which hands the page to the guest's hard_offline_page: the guest kernel
# takes it (HardwareCorrupted 4 kB), the process's next read gets SIGBUS from
# the guest kernel with no further host error, the guest then allocates and
# writes most of its free memory and stays up, and stderr, --ras-events and
# --ras-ledger say guest_offlined (errno 0).
. /scenarios/lib/agent.sh
feeder() {
	agent_connected || return
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-RESULT
}
feeder | agent_run sea-agent
rc=$?
agent_show

sea_expect_poisoned
expect_guest_ok "$rc"
grep -q 'AGENT-VICTIM: first read: SIGBUS si_code 3' out.txt ||
	{ echo "the first read did not end in SIGBUS BUS_OBJERR (the injected abort)"; exit 1; }
grep -q 'AGENT-VICTIM: read after offline: SIGBUS si_code 4' out.txt ||
	{ echo "the read after offlining did not end in SIGBUS BUS_MCEERR_AR from the guest kernel"; exit 1; }
grep -q 'AGENT-VICTIM: hog wrote' out.txt || { echo "the guest did not write most of its memory"; exit 1; }
agent_expect_offlined
[ "$(grep -c '"source":"sea_exit"' events.json)" = 1 ] ||
	{ echo "want one error event (the first read), got $(grep -c '"source":"sea_exit"' events.json)"; exit 1; }
echo "sea-agent ok"
