# timeout: 240
# A host memory error handled the firmware-first way (host SIGBUS, see
# lib/sigbus.sh), end to end: the host kernel's memory_failure() hwpoisons
# the host page behind a guest process's page. seavmm (2 vCPUs, early kill)
# must get SIGBUS BUS_MCEERR_AO, report it (source sigbus_ao) and leave the
# kernel's hwpoison entry for the guest's next access; the process then reads
# the page, KVM sends BUS_MCEERR_AR to the vCPU thread, and seavmm must inject
# a data abort with FnV=1 (so that only that process dies of SIGBUS),
# quarantine the page (the hwpoison entry moves to the quarantine area, a
# fresh page takes its place), report it (sigbus_ar), and the guest must run
# on and power off (exit status 0).
. /scenarios/lib/sigbus.sh
feeder() {
	sigbus_poison_victim || { echo skip; return; }
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	# The quarantine put a fresh host page at the GPA's address...
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >after.txt 2>&1
	# ... and moved the kernel's hwpoison entry (mremap MREMAP_DONTUNMAP) away.
	sea_platform quarantine-slot "$(cat pid.txt)" >slot.txt 2>&1
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
sea_expect_line "an AR-injected EL0 data abort, quarantined" \
	'* el=0 -> inject data abort + quarantine; sigbus_ar: EL0 data sea UER: inject (user=inject)' \
	"memory error: gpa $gpa gva - sigbus_ar "
sigbus_expect_records '"inject":"data"' '"inject_esr":"0x92000410"' '"far":"0x0"' \
	'"vector":"0x400"' '"escalate":"none"'
sigbus_expect_fresh after.txt
sigbus_expect_slot
echo "sigbus-user-inject ok"
