# virtio-hostile, guest side: with seavmm.novirtio no kernel driver binds
# seavmm's virtio devices, and vhostile (guest-images/progs/virtio/vhostile.c)
# drives a virtio-rng and a read-only virtio-blk from user space, posting
# malformed rings and descriptors of every kind. Expects 256M of RAM (RAM
# ends at 0x50000000). Then the guest must still run: a new process, a sleep.
bad=""
. /tests/common.sh
vhostile 0x50000000
rc=$?
[ "$rc" = 0 ] || bad="$bad vhostile=$rc"
check_sleep
out=$(echo alive | cat)
[ "$out" = alive ] || bad="$bad new-process"
echo "GUEST-RESULT: ${bad:-ok}"
