# boot-smp, guest side: the CPUs and memory the VMM promised, the device
# tree (dtb.sh), a working timer, and console input. Expectations come from the kernel command line
# (seavmm.cpus=N seavmm.mem_mb=M); prints GUEST-RESULT: ok or the failures.
bad=""
. /tests/common.sh
. /tests/dtb.sh
arg() { sed -n "s/.*seavmm\.$1=\([0-9]*\).*/\1/p" /proc/cmdline; }
want_cpus=$(arg cpus)
want_mb=$(arg mem_mb)

online=$(cat /sys/devices/system/cpu/online)
ncpus=$(grep -c ^processor /proc/cpuinfo)
echo "guest: cpus online $online ($ncpus)"
[ "$ncpus" = "$want_cpus" ] || bad="$bad cpus=$ncpus(want $want_cpus)"

ram=0
for r in $(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1:\2/p' /proc/iomem); do
	ram=$((ram + 0x${r#*:} - 0x${r%:*} + 1))
done
echo "guest: System RAM $((ram >> 20)) MiB"
[ "$((ram >> 20))" = "$want_mb" ] || bad="$bad ram=$((ram >> 20))MiB(want $want_mb)"

dtb_check
check_sleep

echo "GUEST-READY-FOR-INPUT"
if read -t 60 line; then
	echo "guest: console input '$line'"
	[ "$line" = "seavmm-input-token" ] || bad="$bad input='$line'"
else
	bad="$bad no-console-input"
fi
echo "GUEST-RESULT: ${bad:-ok}"
