# virtio-poisoned-buffer, guest side: an O_DIRECT write to vda from a buffer
# whose page the host poisons must fail with EIO, and the next write from a
# healthy buffer must succeed (guest-images/progs/virtio/blkpoke.c poison-write);
# then the disk still serves requests.
bad=""
blkpoke poison-write /dev/vda 1048576
rc=$?
[ "$rc" = 0 ] || bad="$bad blkpoke=$rc"
n=$(dd if=/dev/vda bs=4096 skip=512 count=4 2>/dev/null | wc -c)
echo "guest: read $n bytes from vda after the error"
[ "$n" = 16384 ] || bad="$bad read-after=$n"
echo "GUEST-RESULT: ${bad:-ok}"
