# timeout: 300
# Every later access to a page under virtual poison is an abort of the right
# kind: after the first error (a load: KVM_EXIT_ARM_SEA), another process
# loads from the page and then executes from it. The load must come back as
# a data abort and the fetch as an instruction abort (EC 0x20, FAR = the PC:
# seavmm walks the guest's tables to see the PC lies on the page), each a
# SIGBUS in the guest, each reported with source "poisoned". Both come from
# the host kernel's hwpoison entry, not the hardware: the platform's poisoned
# frame is never touched again (no second KVM_EXIT_ARM_SEA).
. /scenarios/lib/sea.sh
sea_feed | access_run shared,read,read,fetch
rc=$?
sea_show

sea_expect_poisoned
sea_expect_sigbus 1 read
sea_expect_sigbus 2 read
sea_expect_sigbus 3 fetch
expect_guest_ok "$rc"
sea_expect_records 3
rec_has "$rec_1" "first" '"source":"sea_exit"' '"retire":"hwpoison"'
rec_has "$rec_2" "load re-access" '"source":"poisoned"' '"class":"dabt_low"' '"inject":"data"' \
	'"inject_esr":"0x92000410"' '"reaccess":true'
rec_has "$rec_3" "fetch re-access" '"source":"poisoned"' '"class":"iabt_low"' \
	'"inject":"instruction"' '"inject_esr":"0x82000010"' '"reaccess":true'
# FAR of the fetch is the PC (the page's first instruction).
pc=$(echo "$rec_3" | sed -n 's/.*"pc":"\(0x[0-9a-f]*\)".*/\1/p')
rec_has "$rec_3" "fetch re-access" "\"far\":\"$pc\""
[ "$(grep -c '"source":"sea_exit"' events.json)" = 1 ] ||
	{ echo "the retired frame was touched again: more than one KVM_EXIT_ARM_SEA"; exit 1; }
echo "sea-reaccess ok"
