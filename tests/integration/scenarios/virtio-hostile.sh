# timeout: 180
# A hostile virtio driver (guest-images/guest/virtio-hostile.sh, vhostile)
# posts malformed descriptors of every kind to a virtio-rng and a read-only
# virtio-blk: buffers outside RAM or in MMIO, lengths that wrap, chains that
# loop, bad indexes, bad indirect tables, bad queue sizes and ring addresses,
# a queue reconfigured while live, DRIVER_OK too early, a legacy driver, and a
# notification before DRIVER_OK (ignored). seavmm must mark the device
# DEVICE_NEEDS_RESET with one line per broken case, never crash or hang, the
# devices must work again after a reset, a write to the read-only disk must
# get an I/O error status, and the guest must power off (exit status 0).
. /scenarios/lib/guest.sh
rm -f ro.img out.txt err.txt
dd if=/dev/zero of=ro.img bs=1M count=1 2>/dev/null
timeout 150 seavmm run --reboot=exit -k /guest/Image -i /guest/virtio.cpio.gz -m 256M --rng -d ro.img,ro \
	-p "console=ttyS0 quiet panic=-1 iomem=relaxed seavmm.novirtio seavmm.test=virtio-hostile" \
	</dev/null >out.txt 2>err.txt
rc=$?
tr -d '\r' <out.txt
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
[ "$rc" != 124 ] && [ "$rc" != 143 ] || { echo "seavmm hung: killed after 150 s"; exit 1; }
expect_guest_ok "$rc"
grep -q 'vhostile: done, 0 case' out.txt || { echo "vhostile did not finish every case as it must"; exit 1; }
broken=$(grep -c ': needs-reset' out.txt)
lines=$(wc -l <err.txt)
reports=$(grep -c "the guest's driver broke the rules: .*; the device needs a reset (DEVICE_NEEDS_RESET)" err.txt)
[ "$broken" -ge 20 ] || { echo "only $broken cases marked the device"; exit 1; }
[ "$reports" = "$broken" ] && [ "$lines" = "$broken" ] ||
	{ echo "want one stderr line per broken case ($broken), got $reports reports in $lines lines"; exit 1; }
echo "virtio-hostile ok"
