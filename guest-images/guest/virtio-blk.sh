# virtio-blk, guest side: vda is a 16 MiB read-write image (serial
# disk.img), vdb a 1 MiB read-only one. Writes a 2 MiB pattern to vda
# through the page cache with fsync (a FLUSH), reads it back from the device,
# discards 1 MiB that then reads as zeroes, reads vdb, and checks that vdb
# answers writes with EIO, O_DIRECT and buffered. Prints the checksums for
# the host to compare with the image files.
bad=""
for d in vda vdb; do
	[ -b /dev/$d ] || bad="$bad no-$d"
done
[ -z "$bad" ] || { echo "GUEST-RESULT:$bad ($(ls /sys/block))"; exit 0; }
serial=$(cat /sys/block/vda/serial 2>/dev/null)
size=$(cat /sys/block/vda/size)
echo "guest: vda serial '$serial', $size sectors, discard up to $(cat /sys/block/vda/queue/discard_max_bytes) bytes"
[ "$serial" = disk.img ] || bad="$bad serial=$serial"
[ "$size" = 32768 ] || bad="$bad size=$size"
md5() { md5sum | cut -d' ' -f1; }
dd if=/dev/urandom of=/tmp/p bs=65536 count=32 2>/dev/null
p=$(md5 </tmp/p)
echo "GUEST-PATTERN md5=$p"
dd if=/tmp/p of=/dev/vda bs=65536 conv=fsync 2>/dev/null || bad="$bad write"
echo 3 >/proc/sys/vm/drop_caches
r=$(dd if=/dev/vda bs=65536 count=32 2>/dev/null | md5)
[ "$r" = "$p" ] || bad="$bad readback=$r"
dd if=/dev/urandom of=/dev/vda bs=65536 seek=128 count=16 conv=fsync 2>/dev/null
out=$(blkpoke discard /dev/vda 8388608 1048576)
echo "guest: $out"
case $out in
*ok) ;;
*) bad="$bad discard" ;;
esac
echo 3 >/proc/sys/vm/drop_caches
zeros=$(dd if=/dev/zero bs=65536 count=16 2>/dev/null | md5)
z=$(dd if=/dev/vda bs=65536 skip=128 count=16 2>/dev/null | md5)
[ "$z" = "$zeros" ] || bad="$bad discarded-not-zero"
echo "GUEST-RO md5=$(dd if=/dev/vdb bs=65536 count=16 2>/dev/null | md5)"
out=$(blkpoke direct-write /dev/vdb 0)
echo "guest: vdb: $out"
case $out in
*"Input/output error") ;;
*) bad="$bad ro-direct-write=${out##*: }" ;;
esac
if dd if=/tmp/p of=/dev/vdb bs=65536 count=1 conv=fsync 2>/dev/null; then
	bad="$bad ro-buffered-write-succeeded"
else
	echo "guest: vdb: a buffered write with fsync failed, as it must"
fi
echo "GUEST-RESULT: ${bad:-ok}"
