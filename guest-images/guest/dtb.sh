# Sourced by smp.sh (boot-smp): the device tree seavmm built, as the kernel
# parsed it, for a 2-vCPU GICv3 guest. Adds the failures to $bad.
dtb_check() {
	dt=/proc/device-tree
	for n in cpus/cpu@0 cpus/cpu@1 psci timer uart@9000000 intc@8000000 memory@40000000 chosen/bootargs \
		chosen/stdout-path chosen/linux,initrd-start chosen/linux,initrd-end; do
		[ -e "$dt/$n" ] || bad="$bad missing:$n"
	done
	grep -q ns16550a "$dt/uart@9000000/compatible" || bad="$bad uart-compatible"
	grep -q arm,psci-0.2 "$dt/psci/compatible" || bad="$bad psci-compatible"
	grep -q hvc "$dt/psci/method" || bad="$bad psci-method"
	grep -q arm,gic-v3 "$dt/intc@8000000/compatible" || bad="$bad gic-compatible"
	grep -q psci "$dt/cpus/cpu@1/enable-method" || bad="$bad enable-method"
	grep -q ttyS0 /proc/consoles || bad="$bad console-not-ttyS0"
}
