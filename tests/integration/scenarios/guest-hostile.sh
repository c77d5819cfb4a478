# timeout: 180
# A hostile guest (guest-images/guest/hostile.sh) loads and stores where there
# is neither RAM nor a device, pokes the UART with odd sizes and makes pair
# accesses KVM cannot decode (KVM_EXIT_ARM_NISV). seavmm must neither crash
# nor hang: the guest survives, powers off, and seavmm exits 0 having said
# only its one "reported once" line about unbacked accesses.
# iomem=relaxed lets the guest's /dev/mem map the UART its 8250 driver holds.
. /scenarios/lib/guest.sh
timeout 150 seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 1 -m 128M \
	-p "console=ttyS0 quiet panic=-1 iomem=relaxed seavmm.test=hostile" </dev/null >out.txt 2>err.txt
rc=$?
grep '^guest: ' out.txt | tr -d '\r'
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
[ "$rc" != 124 ] && [ "$rc" != 143 ] || { echo "seavmm hung: killed after 150 s"; exit 1; }
expect_guest_ok "$rc"
lines=$(wc -l <err.txt)
[ "$lines" = 1 ] && grep -q 'where there is no device; reads return 0, writes are dropped (reported once)' err.txt ||
	{ echo "seavmm's stderr has $lines lines, want the one 'reported once' line"; exit 1; }
echo "guest-hostile ok"
