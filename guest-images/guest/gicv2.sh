# boot-gicv2, guest side: on a host whose KVM has only a GICv2, the guest sees
# a GICv2 (device tree and irqchip), all its CPUs, and working timer and UART
# interrupts. Prints GUEST-RESULT: ok or the failures.
bad=""
. /tests/common.sh
want_cpus=$(sed -n 's/.*seavmm\.cpus=\([0-9]*\).*/\1/p' /proc/cmdline)
ncpus=$(grep -c ^processor /proc/cpuinfo)
echo "guest: cpus online $(cat /sys/devices/system/cpu/online) ($ncpus)"
[ "$ncpus" = "$want_cpus" ] || bad="$bad cpus=$ncpus(want $want_cpus)"

compat=$(tr '\0' ' ' </proc/device-tree/intc@8000000/compatible 2>/dev/null)
echo "guest: intc compatible: $compat"
case "$compat" in
*arm,cortex-a15-gic* | *arm,gic-400*) ;;
*) bad="$bad gic-compatible='$compat'" ;;
esac
# The irqchip driver that probed: the GICv2 one names itself GIC-0 or GICv2.
grep -E 'arch_timer|ttyS0' /proc/interrupts | sed 's/^/guest: /'
chip=$(awk -v c="$ncpus" '/arch_timer/ {print $(c + 2); exit}' /proc/interrupts)
echo "guest: timer irqchip: $chip"
case "$chip" in
GICv3* | "") bad="$bad irqchip='$chip'" ;;
GIC*) ;;
*) bad="$bad irqchip='$chip'" ;;
esac
grep -q GICv3 /proc/interrupts && bad="$bad gicv3-in-proc-interrupts"

# Interrupt counts summed over CPUs, for the line matching $1.
irqs() { awk -v n="$1" -v c="$ncpus" '$0 ~ n {for (i = 2; i <= c + 1; i++) s += $i} END {print s + 0}' /proc/interrupts; }
timer0=$(irqs arch_timer)
uart0=$(irqs ttyS0)
check_sleep
timer1=$(irqs arch_timer)
uart1=$(irqs ttyS0)
echo "guest: timer interrupts $timer0 -> $timer1, uart interrupts $uart0 -> $uart1"
[ "$timer1" -gt "$timer0" ] || bad="$bad no-timer-interrupts"
[ "$uart1" -gt 0 ] || bad="$bad no-uart-interrupts"
echo "GUEST-RESULT: ${bad:-ok}"
