# timeout: 180
# --dump-dtb writes the device tree seavmm gives the guest: a valid blob with
# the expected nodes; the guest boots with that tree and finds them too
# (guest-images/guest/dtb.sh). tests/unit/test_vmm_fdt.c decompiles the
# same builder's output with dtc on the build machine.
. /scenarios/lib/guest.sh
seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M --reboot=exit --dump-dtb guest.dtb \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=dtb" </dev/null >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
[ "$rc" = 0 ] || { echo "seavmm exited with status $rc, want 0"; exit 1; }
[ -s guest.dtb ] || { echo "--dump-dtb wrote no file"; exit 1; }
magic=$(od -An -tx1 -N4 guest.dtb | tr -d ' \n')
[ "$magic" = d00dfeed ] || { echo "guest.dtb magic is $magic, want d00dfeed"; exit 1; }
size=$(od -An -tu1 -j4 -N4 guest.dtb | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
[ "$size" = "$(wc -c <guest.dtb)" ] || { echo "guest.dtb totalsize $size differs from its file size $(wc -c <guest.dtb)"; exit 1; }
for n in memory@40000000 cpus cpu@0 cpu@1 psci intc@8000000 timer uart@9000000 chosen bootargs stdout-path \
	linux,initrd-start linux,initrd-end kaslr-seed rng-seed enable-method ns16550a arm,gic-v3 arm,armv8-timer; do
	tr '\0' '\n' <guest.dtb | grep -qF "$n" || { echo "guest.dtb lacks '$n'"; exit 1; }
done
echo "dtb: $size bytes, magic $magic"
expect_guest_ok "$rc"
echo "dtb ok"
