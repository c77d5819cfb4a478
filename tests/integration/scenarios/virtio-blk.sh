# timeout: 200
# virtio-blk (--disk, -d PATH,ro): the guest (guest-images/guest/virtio-blk.sh)
# writes a 2 MiB pattern to a 16 MiB image with fsync, reads it back,
# discards 1 MiB, reads a read-only image and gets EIO for writes to it,
# then powers off. The host then finds the pattern in the image file, the
# discarded range zero, the read-only image unchanged and what the guest
# read of it intact, and nothing on seavmm's stderr.
. /scenarios/lib/guest.sh
rm -f disk.img ro.img out.txt err.txt
dd if=/dev/zero of=disk.img bs=1M count=16 2>/dev/null
dd if=/dev/urandom of=ro.img bs=1M count=1 2>/dev/null
md5() { md5sum | cut -d' ' -f1; }
ro_md5=$(md5 <ro.img)
timeout 170 seavmm run --reboot=exit -k /guest/Image -i /guest/virtio.cpio.gz -m 256M --disk disk.img -d ro.img,ro \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=virtio-blk" </dev/null >out.txt 2>err.txt
rc=$?
tr -d '\r' <out.txt
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
expect_guest_ok "$rc"
want=$(sed -n 's/.*GUEST-PATTERN md5=\([0-9a-f]*\).*/\1/p' out.txt | tr -d '\r')
got=$(dd if=disk.img bs=65536 count=32 2>/dev/null | md5)
[ -n "$want" ] && [ "$got" = "$want" ] || { echo "disk.img does not hold the guest's pattern"; exit 1; }
zeros=$(dd if=/dev/zero bs=65536 count=16 2>/dev/null | md5)
[ "$(dd if=disk.img bs=65536 skip=128 count=16 2>/dev/null | md5)" = "$zeros" ] ||
	{ echo "the range the guest discarded is not zero in disk.img"; exit 1; }
[ "$(md5 <ro.img)" = "$ro_md5" ] || { echo "the read-only image changed"; exit 1; }
grep -q "GUEST-RO md5=$ro_md5" out.txt || { echo "the guest did not read the read-only image intact"; exit 1; }
[ ! -s err.txt ] || { echo "seavmm wrote to stderr: $(head -n1 err.txt)"; exit 1; }
echo "virtio-blk ok"
