# timeout: 360
# A page-cache page (lib/agent.sh, guest-images/guest/sea-page-cache.sh): a
# tmpfs file's page is poisoned. Before the agent has offlined it, read() of
# the file is a guest-kernel consumption and the kernel policy applies (the
# default, kernel=restart: the guest restarts; first boot). With
# seavmm-agent (second boot), the page is mapped by a process that reads it
# (SIGBUS); once the agent has offlined it, read() of the file returns EIO
# and the mapping gives SIGBUS, never other bytes.
. /scenarios/lib/agent.sh
feeder() {
	sea_waitfor 'GUEST-PHASE?' || return
	echo before
	sea_poison_victim
	echo poisoned
	sea_waitfor 'GUEST-PHASE?' 2 || return
	echo after
	agent_connected || return
	sea_waitfor GUEST-READY-FOR-POISON 2 || return
	sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' | sed -n 2p >gpa2.txt
	sea_platform poison-guest "$(cat pid.txt)" "$(cat gpa2.txt)" uer >poison2.txt 2>&1
	echo poisoned
	sea_waitfor GUEST-RESULT
}
rm -f gpa2.txt poison2.txt
feeder | agent_run sea-page-cache
rc=$?
agent_show
echo "--- second poison: $(cat poison2.txt 2>/dev/null)"

sea_expect_poisoned
# Before: the kernel's read() consumed it, and kernel=restart restarted the guest.
sea_expect_line "a guest-kernel consumption restarted by the kernel policy" \
	'* dabt_cur sea set=uer el=1 -> restart the VM *kernel=restart*'
grep -q 'restarting the guest, as the memory-error policy decided' err.txt ||
	{ echo "the guest was not restarted after its kernel consumed the poison"; exit 1; }
grep -q 'AGENT-VICTIM: read() returned' out.txt && { echo "read() returned before the agent offlined the page"; exit 1; }
# After: the agent's page.
expect_guest_ok "$rc"
gpa=$(cat gpa2.txt 2>/dev/null)
[ -n "$gpa" ] || { echo "the second boot's victim reported no GPA"; exit 1; }
grep -q '^poisoned host PA' poison2.txt || { echo "poisoning the second page failed: $(tail -n1 poison2.txt)"; exit 1; }
grep -q 'AGENT-VICTIM: mapping read: SIGBUS si_code 3' out.txt ||
	{ echo "the mapping's first read did not end in SIGBUS BUS_OBJERR"; exit 1; }
grep -q 'AGENT-VICTIM: read() after offline: Input/output error' out.txt ||
	{ echo "read() after the offline did not fail with EIO"; exit 1; }
grep -q 'AGENT-VICTIM: mapping read after offline: SIGBUS si_code 4' out.txt ||
	{ echo "the mapping after the offline did not give SIGBUS BUS_MCEERR_AR"; exit 1; }
grep -q 'OTHER DATA' out.txt && { echo "the guest read other bytes than it wrote"; exit 1; }
agent_expect_offlined
echo "sea-page-cache ok"
