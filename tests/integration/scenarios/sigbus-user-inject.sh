# timeout: 240
# A host memory error handled the firmware-first way (host SIGBUS, see
# lib/sigbus.sh), end to end: the host kernel's memory_failure() hwpoisons
# the host page behind a guest process's page. seavmm (2 vCPUs, early kill)
# must get SIGBUS BUS_MCEERR_AO, report it (source sigbus_ao) and leave the
# kernel's hwpoison entry for the guest's next access; the process then reads
# the page, KVM sends BUS_MCEERR_AR to the vCPU thread, and seavmm must inject
# a data abort with FnV=1 (so that only that process dies of SIGBUS), keep
# the page poisoned (the kernel's hwpoison entry stays: no fresh page in
# silence), report it (source poisoned: the page was under virtual poison
# since the AO), and the guest must run on and power off (exit status 0).
. /scenarios/lib/sigbus.sh
feeder() {
	sigbus_poison_victim || { echo skip; return; }
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	# The page still reads as poisoned.
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >after.txt 2>&1
	echo cleared
}
t0=$(cut -d' ' -f1 /proc/uptime)
feeder | sea_run --cpus 2
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
sigbus_show
echo "--- seavmm ran $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"

sigbus_expect_poisoned
grep -q 'SEA-VICTIM: SIGBUS si_code 3 ' out.txt ||
	{ echo "the guest process got no SIGBUS BUS_OBJERR for its page"; exit 1; }
grep -q 'SEA-VICTIM: child killed by signal 7 (SIGBUS)' out.txt ||
	{ echo "the guest process did not die of SIGBUS"; exit 1; }
expect_guest_ok "$rc"
sea_expect_line "an AR-injected EL0 data abort, the page kept poisoned" \
	'* el=0 -> inject data abort + retire=already poison=poisoned; poisoned: EL0 data sea UER: inject (user=inject); page under virtual poison since its first error, accessed again' \
	"memory error: gpa $gpa gva - dabt_low sea set=uer "
sigbus_expect_records '"inject":"data"' '"inject_esr":"0x92000410"' '"far":"0x0"' \
	'"vector":"0x400"' '"reaccess":true' '"escalate":"none"'
sigbus_expect_still_poisoned after.txt
echo "sigbus-user-inject ok"
