# timeout: 300
# Two guest processes pinned to two vCPUs read two different poisoned pages
# at the same moment: two events (one per page, each retired once), two
# SIGBUS, the guest runs on and powers off; nothing else changes.
. /scenarios/lib/sea.sh
sea_feed | access_run two --cpus 2
rc=$?
sea_show

sea_expect_poisoned
[ "$(wc -l <gpa.txt)" = 2 ] || { echo "the guest did not report two pages"; exit 1; }
sea_expect_sigbus 1 read
sea_expect_sigbus 2 read
expect_guest_ok "$rc"
sea_expect_records 2
for g in $(cat gpa.txt); do
	[ "$(ev_lines | grep -c "\"gpa\":\"$g\".*\"retire\":\"hwpoison\"")" = 1 ] ||
		{ echo "page $g was not reported and retired exactly once"; exit 1; }
done
[ "$(ev_lines | grep -c '"vcpu":0,')" = 1 ] && [ "$(ev_lines | grep -c '"vcpu":1,')" = 1 ] ||
	{ echo "want one event on each vCPU"; exit 1; }
echo "sea-two-vcpus ok"
