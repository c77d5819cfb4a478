# timeout: 180
# host: gic-version=2
# The GICv2 fallback, for real: in an emulated host whose interrupt controller
# is a GICv2 (with the virtualization extensions, so its KVM has vgic-v2 and no
# vgic-v3), seavmm probe reports gic v2, --cpus beyond the GICv2 limit is
# refused, and a 2-vCPU guest boots with a GICv2, working timer and UART
# interrupts (guest-images/guest/gicv2.sh), and powers off.
. /scenarios/lib/guest.sh
dmesg | grep -i -E 'vgic|kvm \[' | tail -n 5
seavmm probe | tee probe.out
grep -q '^gic: v2$' probe.out || { echo "seavmm probe says '$(grep '^gic:' probe.out)', want 'gic: v2' (is the host a GICv2 with KVM vgic-v2?)"; exit 1; }
seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --cpus 9 --mem 128M </dev/null >out9.txt 2>err9.txt
rc=$?
cat err9.txt
[ "$rc" = 2 ] && [ "$(wc -l <err9.txt)" = 1 ] || { echo "--cpus 9 on a GICv2 host exited $rc with $(wc -l <err9.txt) error lines, want 2 and 1"; exit 1; }
seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --cpus 2 --mem 256M --reboot=exit \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=gicv2 seavmm.cpus=2" </dev/null >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
expect_guest_ok "$rc"
echo "boot-gicv2 ok"
