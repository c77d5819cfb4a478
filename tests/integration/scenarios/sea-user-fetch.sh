# timeout: 300
# A guest process executes from a page the host poisoned: KVM exits with an
# instruction abort (ESR EC 0x20); seavmm must inject an instruction abort,
# the process dies of SIGBUS, the guest runs on and powers off.
. /scenarios/lib/sea.sh
sea_feed | access_run shared,fetch
rc=$?
sea_show

sea_expect_poisoned
sea_expect_sigbus 1 fetch
expect_guest_ok "$rc"
sea_expect_line "an EL0 instruction abort injected" \
	'* iabt_low sea set=uer el=0 -> inject instruction abort + retire=hwpoison poison=poisoned; *user=inject*'
sea_expect_record '"ec":"0x20"' '"class":"iabt_low"' '"inject":"instruction"' '"vector":"0x400"'
echo "sea-user-fetch ok"
