# timeout: 180
# A 2-vCPU, 256 MiB guest boots to its init, which checks its CPUs, memory,
# device tree, timer and console input (guest-images/guest/smp.sh), then
# powers off. Console input is piped in once the guest says it is ready.
# --dump-dtb writes the tree seavmm gave the guest: a valid blob with the
# expected nodes (tests/unit/test_vmm_fdt.c decompiles the same builder's
# output with dtc on the build machine).
. /scenarios/lib/guest.sh
answer() { # answer MARKER TEXT: when out.txt shows MARKER, send TEXT
	i=0
	while ! grep -q "$1" out.txt 2>/dev/null && [ ! -s err.txt ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$2"
}
answer GUEST-READY-FOR-INPUT seavmm-input-token |
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --cpus 2 --mem 256M --reboot=exit --dump-dtb guest.dtb \
		-p "console=ttyS0 quiet panic=-1 seavmm.test=smp seavmm.cpus=2 seavmm.mem_mb=256" >out.txt 2>err.txt
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
echo "boot-smp ok"
