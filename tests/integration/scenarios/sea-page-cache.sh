# timeout: 300
# A page-cache page (lib/agent.sh, guest-images/guest/sea-page-cache.sh):
# a tmpfs file's page, mapped by a process, is poisoned and read through the
# mapping (SIGBUS); once seavmm-agent has offlined it, read() of the file
# returns EIO and the mapping gives SIGBUS, never other bytes. Before the
# agent has offlined a page, read() of it is a guest-kernel consumption and
# the kernel policy applies: with the agent stopped, another file page is
# poisoned and read(), and --ras kernel=stop stops the guest (exit status 3).
. /scenarios/lib/agent.sh
feeder() {
	agent_connected || return
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' | sed -n 2p >gpa2.txt
	sea_platform poison-guest "$(cat pid.txt)" "$(cat gpa2.txt)" uer >poison2.txt 2>&1
	echo poisoned
	while kill -0 "$(cat pid.txt)" 2>/dev/null; do sleep 0.2; done
}
rm -f gpa2.txt poison2.txt
feeder | agent_run sea-page-cache --ras kernel=stop
rc=$?
agent_show
echo "--- second poison: $(cat poison2.txt 2>/dev/null)"

sea_expect_poisoned
grep -q 'AGENT-VICTIM: mapping read: SIGBUS si_code 3' out.txt ||
	{ echo "the mapping's first read did not end in SIGBUS BUS_OBJERR"; exit 1; }
grep -q 'AGENT-VICTIM: read() after offline: Input/output error' out.txt ||
	{ echo "read() after the offline did not fail with EIO"; exit 1; }
grep -q 'AGENT-VICTIM: mapping read after offline: SIGBUS si_code 4' out.txt ||
	{ echo "the mapping after the offline did not give SIGBUS BUS_MCEERR_AR"; exit 1; }
grep -q 'OTHER DATA' out.txt && { echo "the guest read other bytes than it wrote"; exit 1; }
grep -q 'GUEST-AFTER-OFFLINE: ok' out.txt ||
	{ echo "guest checks after the offline failed: $(grep GUEST-AFTER-OFFLINE out.txt)"; exit 1; }
agent_expect_offlined
# Before any offline: the kernel's read() consumed it and kernel=stop stopped the guest.
gpa=$(cat gpa2.txt 2>/dev/null)
[ -n "$gpa" ] || { echo "the second file page's GPA was never reported"; exit 1; }
grep -q '^poisoned host PA' poison2.txt || { echo "poisoning the second page failed: $(tail -n1 poison2.txt)"; exit 1; }
[ "$rc" = 3 ] || { echo "seavmm exited with status $rc, want 3 (kernel=stop)"; exit 1; }
sea_expect_line "a guest-kernel consumption stopped by the kernel policy" \
	'* dabt_low sea set=uer el=1 -> stop the VM *kernel=stop*'
grep -q 'AGENT-VICTIM: read() returned' out.txt && { echo "read() returned data from the poisoned page"; exit 1; }
echo "sea-page-cache ok"
