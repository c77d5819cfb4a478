# timeout: 300
# A poisoned guest buffer met by device emulation (lib/sea.sh): a guest
# process (blkpoke poison-write, guest-images/guest/virtio-poison.sh) reports
# the GPA of a locked page it will write to vda with O_DIRECT, so that the
# device, not the guest kernel, reads it; the host poisons the host page
# behind it. seavmm's virtio-blk copy meets the poison (SIGBUS in its I/O
# thread, caught by the guarded copy): that request must fail with EIO in the
# guest, seavmm must report the event (stderr line, --ras-events record) and
# keep running, the next request from a healthy buffer must succeed, and the
# image must hold the healthy buffer's bytes.
. /scenarios/lib/sea.sh
rm -f disk.img events.json
dd if=/dev/zero of=disk.img bs=1M count=4 2>/dev/null
feeder() {
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	sea_platform clear-all >/dev/null 2>&1
	echo cleared
}
feeder | timeout 260 seavmm run --reboot=exit -k /guest/Image -i /guest/virtio.cpio.gz --mem 256M \
	--ras-events events.json --disk disk.img \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=virtio-poison" >out.txt 2>err.txt
rc=$?
sea_show
sea_expect_poisoned
grep -q 'blkpoke: write from the poisoned buffer: Input/output error' out.txt ||
	{ echo "the write from the poisoned buffer did not fail with EIO: $(grep -a 'poisoned buffer' out.txt | tr -d '\r')"; exit 1; }
grep -q 'blkpoke: write from a healthy buffer: ok' out.txt ||
	{ echo "the next write, from a healthy buffer, failed"; exit 1; }
grep -q 'blkpoke: read back: matches' out.txt || { echo "reading the healthy write back failed"; exit 1; }
expect_guest_ok "$rc"
line=$(grep "memory error: gpa $gpa " err.txt)
case "$line" in
"seavmm: device"*": memory error: gpa $gpa "*" device "*"the request fails with an I/O error"*) ;;
*) echo "no device event line for gpa $gpa: ${line:-none}"; exit 1 ;;
esac
[ "$(grep -c 'memory error:' err.txt)" = 1 ] || { echo "want exactly one event line on stderr"; exit 1; }
grep -q "^seavmm: virtio-blk0: its copy of guest page $gpa met poison: that request fails" err.txt ||
	{ echo "no line naming virtio-blk0 and the failed request"; exit 1; }
grep -F "\"gpa\":\"$gpa\"" events.json 2>/dev/null | grep -qF '"source":"device"' ||
	{ echo "events.json holds no device record for gpa $gpa"; exit 1; }
want=$(dd if=/dev/zero bs=4096 count=1 2>/dev/null | tr '\0' '\133' | md5sum | cut -d' ' -f1)
got=$(dd if=disk.img bs=4096 skip=256 count=1 2>/dev/null | md5sum | cut -d' ' -f1)
[ "$got" = "$want" ] || { echo "disk.img does not hold the healthy buffer at 1 MiB"; exit 1; }
echo "virtio-poisoned-buffer ok"
