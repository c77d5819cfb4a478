# Shared by the sigbus-* scenarios: as lib/sea.sh, a guest process
# (guest-images/guest/sea.sh, sea_victim) reports the GPA of a page it wrote,
# but the host page behind it is poisoned the firmware-first way: the host
# kernel's software injector (hwpoison_inject) runs memory_failure() on it,
# which marks it hwpoisoned and unmaps it, and seavmm hears of it by SIGBUS
# (BUS_MCEERR_AO at once with early kill, BUS_MCEERR_AR at the guest's next
# access). Only a page flag is set, the memory is fine: no hold-exit needed,
# and the page is unpoisoned (given back to the host) at the end.
. /scenarios/lib/sea.sh
rm -f hw.txt insmod.txt unpoison.txt between.txt

# The kernel's injector: hwpoison_inject in debugfs (the module is in the
# host initramfs, guest-images/build-host-initramfs.sh). Skips the scenario
# (77, the reason last) when this host cannot have it.
debugfs_mounted() { grep -q '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts; }
debugfs_mounted || mount -t debugfs debugfs /sys/kernel/debug >/dev/null 2>&1
[ -d /sys/kernel/debug/hwpoison ] || insmod /lib/modules/hwpoison-inject.ko >insmod.txt 2>&1
if [ ! -e /sys/kernel/debug/hwpoison/corrupt-pfn ]; then
	debugfs_mounted || why="debugfs cannot be mounted on /sys/kernel/debug (CONFIG_DEBUG_FS?)"
	[ -f /lib/modules/hwpoison-inject.ko ] || why="${why:+$why; }hwpoison-inject.ko is not in the host initramfs"
	echo "insmod: $(cat insmod.txt 2>/dev/null)"
	echo "SKIP: no /sys/kernel/debug/hwpoison/corrupt-pfn (${why:-hwpoison_inject did not load: CONFIG_HWPOISON_INJECT or CONFIG_MEMORY_FAILURE missing?})"
	exit 77
fi

# sigbus_poison_victim: once the guest is ready, hwpoisons the victim's page
# (gpa.txt, pid.txt, hw.txt), waits for seavmm's AO event line and notes what
# backs the GPA then (between.txt).
sigbus_poison_victim() {
	sea_victim_ready hw.txt || return 1
	sea_platform hwpoison-guest "$(cat pid.txt)" "$(cat gpa.txt)" >hw.txt 2>&1
	# Early kill: the AO arrives while memory_failure() runs.
	waitfor_in err.txt sigbus_ao 1 300 || echo "no sigbus_ao event line within 30 s" >>hw.txt
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >between.txt 2>&1
}

# sigbus_show: unpoisons the page, then everything the run left, for the log.
sigbus_show() {
	pfn=$(sed -n 's/^hwpoisoned host PFN \(0x[0-9a-f]*\).*/\1/p' hw.txt)
	[ -n "$pfn" ] && sea_platform unpoison-pfn "$pfn" >unpoison.txt 2>&1
	sea_show
	echo "--- hwpoison: $(cat hw.txt 2>/dev/null)"
	echo "--- between (after the AO, before the access): $(cat between.txt 2>/dev/null)"
	echo "--- unpoison: $(cat unpoison.txt 2>/dev/null)"
	echo "--- dmesg:"
	dmesg | grep -i -E 'memory.failure|hwpoison|unpoison' | tail -n 10
}

# sigbus_expect_poisoned: the page was hwpoisoned, seavmm reported the AO
# as retired by the host kernel and left its hwpoison entry in place.
sigbus_expect_poisoned() {
	gpa=$(cat gpa.txt 2>/dev/null)
	[ -n "$gpa" ] || { echo "the guest never reported its page's GPA"; exit 1; }
	[ -n "$pfn" ] || { echo "hwpoisoning the guest page failed: $(tail -n1 hw.txt 2>/dev/null)"; exit 1; }
	pa=$(sed -n 's/.*host PA \(0x[0-9a-f]*\).*/\1/p' hw.txt)
	line=$(grep "memory error: gpa $gpa gva - sigbus_ao " err.txt)
	case "$line" in
	*' -> no abort + retire=host_kernel poison=poisoned; host found poison before any access (BUS_MCEERR_AO): retired by the host kernel; page stays poisoned') ;;
	*) echo "AO event line is not a retire-only report: ${line:-none}"; exit 1 ;;
	esac
	[ "$(cat between.txt)" = hwpoison-entry ] ||
		{ echo "after the AO the GPA showed $(cat between.txt), want the kernel's hwpoison entry left in place"; exit 1; }
}

# sigbus_expect_records AR_WANT...: events.json holds the AO record and the
# AR record, the latter with every AR_WANT.
sigbus_expect_records() {
	[ "$(grep -c 'memory error:' err.txt)" = 2 ] || { echo "want exactly two event lines on stderr"; exit 1; }
	[ "$(ev_lines | wc -l)" = 2 ] || { echo "want two event records in events.json, got $(ev_lines | wc -l)"; exit 1; }
	ao=$(grep '"source":"sigbus_ao"' events.json)
	# The access after the AO meets a page already under virtual poison.
	ar=$(grep '"source":"poisoned"' events.json)
	for want in "\"gpa\":\"$gpa\"" '"esr":null' '"inject":"none"' '"quarantine":true' '"escalate":"none"'; do
		case "$ao" in *"$want"*) ;; *) echo "the sigbus_ao record lacks $want: ${ao:-none}"; exit 1 ;; esac
	done
	# The access meets a page under virtual poison: its ESR is the one seavmm presents.
	for want in "\"gpa\":\"$gpa\"" '"el":0' '"class":"dabt_low"' '"fnv":true' '"quarantine":true' '"page_count":2' "$@"; do
		case "$ar" in *"$want"*) ;; *) echo "the sigbus_ar record lacks $want: ${ar:-none}"; exit 1 ;; esac
	done
}

# sigbus_expect_still_poisoned FILE: FILE (guest-pa output) shows the
# kernel's hwpoison entry still at the GPA's address: the page reads as
# poisoned, never as a fresh page.
sigbus_expect_still_poisoned() {
	[ "$(cat "$1")" = hwpoison-entry ] ||
		{ echo "GPA $gpa shows $(cat "$1") after the access, want the hwpoison entry kept"; exit 1; }
}

# sigbus_expect_fresh FILE: FILE (guest-pa output) shows no poisoned page.

sigbus_expect_fresh() {
	case "$(cat "$1")" in
	"$pa") echo "GPA $gpa is still backed by the hwpoisoned host page $pa"; exit 1 ;;
	0x* | not-present) ;;
	*) echo "GPA $gpa is not backed by a fresh page: $(cat "$1")"; exit 1 ;;
	esac
}
