# virtio-rng, guest side: the hw_random core must have picked the virtio
# device, and /dev/hwrng must give as many bytes as asked, not all the same.
bad=""
cur=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
echo "guest: rng_current=$cur"
case "$cur" in
virtio_rng*) ;;
*) bad="$bad rng_current=${cur:-none}" ;;
esac
n=$(dd if=/dev/hwrng bs=4096 count=16 2>/dev/null | wc -c)
echo "guest: read $n bytes from /dev/hwrng"
[ "$n" = 65536 ] || bad="$bad read=$n"
a=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | md5sum)
b=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | md5sum)
[ "$a" != "$b" ] || bad="$bad same-bytes-twice"
distinct=$(dd if=/dev/hwrng bs=1024 count=1 2>/dev/null | od -An -v -tu1 | tr -s ' ' '\n' | sort -u | wc -l)
echo "guest: $distinct distinct byte values in 1 KiB"
[ "$distinct" -gt 100 ] || bad="$bad distinct=$distinct"
echo "GUEST-RESULT: ${bad:-ok}"
