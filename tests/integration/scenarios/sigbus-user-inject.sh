# timeout: 150
# A host memory error handled the firmware-first way (host SIGBUS), end to
# end: a guest process writes a page and reports its GPA (as in
# sea-user-inject); the host kernel's own software injector (hwpoison_inject)
# runs memory_failure() on the host page behind it, which marks it
# hwpoisoned and unmaps it. seavmm (2 vCPUs, early kill) must get SIGBUS
# BUS_MCEERR_AO, report it (source sigbus_ao) and leave the page for the
# guest's next access; the guest process then reads the page, KVM sends
# BUS_MCEERR_AR to the vCPU thread, and seavmm must inject a data abort with
# FnV=1 (so that only that process dies of SIGBUS), quarantine the page
# (a fresh host page at the GPA), report it (sigbus_ar), and the guest must
# run on and power off (exit status 0).
. /scenarios/lib/sea.sh
rm -f hw.txt insmod.txt unpoison.txt between.txt slot.txt

# The kernel's injector: hwpoison_inject in debugfs (the module is in the
# host initramfs, guest-images/build-host-initramfs.sh).
mountpoint -q /sys/kernel/debug 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -d /sys/kernel/debug/hwpoison ] || insmod /lib/modules/hwpoison-inject.ko >insmod.txt 2>&1
if [ ! -e /sys/kernel/debug/hwpoison/corrupt-pfn ]; then
	[ -d /sys/kernel/debug ] && ls /sys/kernel/debug >/dev/null 2>&1 || why="debugfs cannot be mounted"
	[ -f /lib/modules/hwpoison-inject.ko ] || why="${why:+$why; }hwpoison-inject.ko is not in the host initramfs"
	echo "insmod: $(cat insmod.txt 2>/dev/null)"
	echo "SKIP: no /sys/kernel/debug/hwpoison/corrupt-pfn (${why:-hwpoison_inject did not load: CONFIG_HWPOISON_INJECT or CONFIG_MEMORY_FAILURE missing?})"
	exit 77
fi

# err_waitfor PATTERN: until err.txt shows PATTERN; gives up after 30 s.
err_waitfor() {
	i=0
	while ! grep -q "$1" err.txt 2>/dev/null; do
		[ $i -ge 300 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

feeder() {
	sea_waitfor GUEST-READY-FOR-POISON || { echo "no GUEST-READY-FOR-POISON" >hw.txt; echo skip; return; }
	sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' | head -n1 >gpa.txt
	pidof seavmm >pid.txt
	sea_platform hwpoison-guest "$(cat pid.txt)" "$(cat gpa.txt)" >hw.txt 2>&1
	# Early kill: the AO arrives while memory_failure() runs.
	err_waitfor 'sigbus_ao' || echo "no sigbus_ao event line within 30 s" >>hw.txt
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >between.txt 2>&1
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	# The quarantine put a fresh host page at the GPA's address.
	sea_platform guest-pa "$(cat pid.txt)" "$(cat gpa.txt)" >after.txt 2>&1
	# ... and moved the kernel's hwpoison entry (mremap MREMAP_DONTUNMAP) there.
	sea_platform quarantine-slot "$(cat pid.txt)" >slot.txt 2>&1
	echo cleared
}
t0=$(cut -d' ' -f1 /proc/uptime)
feeder | sea_run --cpus 2
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
pfn=$(sed -n 's/^hwpoisoned host PFN \(0x[0-9a-f]*\).*/\1/p' hw.txt)
# Give the page back to the host: the memory itself is fine.
[ -n "$pfn" ] && sea_platform unpoison-pfn "$pfn" >unpoison.txt 2>&1
sea_show
echo "--- hwpoison: $(cat hw.txt 2>/dev/null)"
echo "--- between (after AO, before the access): $(cat between.txt 2>/dev/null)"
echo "--- quarantine slot: $(cat slot.txt 2>/dev/null)"
echo "--- unpoison: $(cat unpoison.txt 2>/dev/null)"
echo "--- dmesg:"
dmesg | grep -i -E 'memory.failure|hwpoison|MCE|unpoison' | tail -n 10
echo "--- seavmm ran $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"

gpa=$(cat gpa.txt 2>/dev/null)
[ -n "$gpa" ] || { echo "the guest never reported its page's GPA"; exit 1; }
[ -n "$pfn" ] || { echo "hwpoisoning the guest page failed: $(tail -n1 hw.txt 2>/dev/null)"; exit 1; }
grep -q 'SEA-VICTIM: SIGBUS si_code 3 ' out.txt ||
	{ echo "the guest process got no SIGBUS BUS_OBJERR for its page"; exit 1; }
grep -q 'SEA-VICTIM: child killed by signal 7 (SIGBUS)' out.txt ||
	{ echo "the guest process did not die of SIGBUS"; exit 1; }
expect_guest_ok "$rc"
line=$(grep "memory error: gpa $gpa gva - sigbus_ao " err.txt)
case "$line" in
*' -> no abort + quarantine; host found poison before any access (BUS_MCEERR_AO): quarantine; kernel-isolated, replaced at the next access') ;;
*) echo "AO event line is not a quarantine-only report: ${line:-none}"; exit 1 ;;
esac
line=$(grep "memory error: gpa $gpa gva - sigbus_ar " err.txt)
case "$line" in
*' el=0 -> inject data abort + quarantine; sigbus_ar: EL0 data sea'*'user=inject'*) ;;
*) echo "AR event line is not an EL0 data abort injected and quarantined: ${line:-none}"; exit 1 ;;
esac
[ "$(grep -c 'memory error:' err.txt)" = 2 ] || { echo "want exactly two event lines on stderr"; exit 1; }
[ "$(wc -l <events.json)" = 2 ] || { echo "want two records in events.json, got $(wc -l <events.json)"; exit 1; }
ao=$(grep '"source":"sigbus_ao"' events.json)
ar=$(grep '"source":"sigbus_ar"' events.json)
for want in "\"gpa\":\"$gpa\"" '"esr":null' '"inject":"none"' '"quarantine":true' '"escalate":"none"'; do
	case "$ao" in *"$want"*) ;; *) echo "the sigbus_ao record lacks $want: ${ao:-none}"; exit 1 ;; esac
done
for want in "\"gpa\":\"$gpa\"" '"el":0' '"esr":null' '"inject":"data"' '"inject_esr":"0x92000410"' \
	'"far":"0x0"' '"vector":"0x400"' '"quarantine":true' '"escalate":"none"' '"page_count":2'; do
	case "$ar" in *"$want"*) ;; *) echo "the sigbus_ar record lacks $want: ${ar:-none}"; exit 1 ;; esac
done
# Between AO and AR the kernel's hwpoison entry stayed; after, a fresh page
# (or none yet: zero-fill on the next access).
[ "$(cat between.txt)" = hwpoison-entry ] ||
	{ echo "after the AO the GPA showed $(cat between.txt), want the kernel's hwpoison entry left in place"; exit 1; }
pa=$(sed -n 's/.*host PA \(0x[0-9a-f]*\).*/\1/p' hw.txt)
case "$(cat after.txt)" in
"$pa") echo "after the AR GPA $gpa is still backed by the hwpoisoned host page $pa"; exit 1 ;;
0x* | not-present) ;;
*) echo "after the AR the GPA is not backed by a fresh page: $(cat after.txt)"; exit 1 ;;
esac
[ "$(cat slot.txt)" = hwpoison-entry ] ||
	{ echo "the quarantine slot holds $(cat slot.txt), want the moved hwpoison entry"; exit 1; }
echo "sigbus-user-inject ok"
