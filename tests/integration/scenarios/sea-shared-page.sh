# timeout: 300
# Virtual poison on a shared page (lib/sea.sh, guest-images/guest/access.sh):
# two guest processes share a MAP_SHARED page the host poisons; A reads it
# first (KVM_EXIT_ARM_SEA: seavmm injects a data abort, A dies of SIGBUS and
# the frame is retired through the host kernel), then B reads it: B must get
# SIGBUS too (the host kernel's hwpoison entry makes KVM send seavmm
# BUS_MCEERR_AR, a re-access), never other data. Default policy, no agent,
# 2 vCPUs; the guest runs on and powers off.
. /scenarios/lib/sea.sh
sea_feed | access_run shared,read,read --cpus 2
rc=$?
sea_show

sea_expect_poisoned
sea_expect_sigbus 1 read
sea_expect_sigbus 2 read
grep -q 'no SIGBUS' out.txt && { echo "an access completed: $(grep 'no SIGBUS' out.txt)"; exit 1; }
expect_guest_ok "$rc"
sea_expect_records 2
rec_has "$rec_1" "first (A's)" "\"gpa\":\"$gpa\"" '"source":"sea_exit"' '"inject":"data"' \
	'"retire":"hwpoison"' '"poison":"poisoned"' '"reaccess":false'
rec_has "$rec_2" "second (B's)" "\"gpa\":\"$gpa\"" '"source":"poisoned"' '"inject":"data"' \
	'"retire":"none"' '"poison":"poisoned"' '"reaccess":true' '"fnv":true'
[ "$(cat after.txt)" = hwpoison-entry ] ||
	{ echo "GPA $gpa shows $(cat after.txt) after both accesses, want the hwpoison entry"; exit 1; }
echo "sea-shared-page ok"
