# timeout: 900
# Benchmark (figures only, never fails on a threshold): virtio-blk sequential
# write and read throughput (1 MiB O_DIRECT requests) and 4 KiB random-read
# IOPS measured by blkbench in the guest on /dev/vda, beside the same
# measure taken by the emulated host itself on the image file behind it, in
# this one run, as ratios; and seavmm's resident memory apart from guest RAM
# with a disk, a network, entropy and a console device present, beside the
# figure with none. Medians of RUNS. Prints "BENCH ..." lines for
# tests/bench/virtio.sh.
RUNS=3
MEM_KB=262144
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
rss_without_guest_kb() {
	awk -v mem="$MEM_KB" '/^[0-9a-f]+-[0-9a-f]+ / {guest = ($0 ~ /seavmm guest ram/)}
		/^Size:/ && $2 == mem {guest = 1} /^Rss:/ && !guest {s += $2} END {print s + 0}' "/proc/$1/smaps"
}
rm -f disk.img out.txt host.txt
dd if=/dev/zero of=disk.img bs=1M count=64 2>/dev/null

for i in $(seq $RUNS); do
	blkbench seq-write disk.img 32
	blkbench seq-read disk.img 32
	blkbench rand-read disk.img 5
done >host.txt 2>&1
timeout 600 seavmm run -k /guest/Image -i /guest/virtio.cpio.gz -m 256M --reboot=exit --disk disk.img \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=bench-virtio" </dev/null >out.txt 2>err.txt
tr -d '\r' <out.txt >guest.txt
# fig FILE MODE: the median of FILE's BLKBENCH MODE values.
fig() { sed -n "s/^BLKBENCH $2: \([0-9.]*\) .*/\1/p" "$1" | tr '\n' ' ' | median; }
for m in seq-write seq-read rand-read; do
	h=$(fig host.txt $m)
	g=$(fig guest.txt $m)
	unit=$([ $m = rand-read ] && echo IOPS || echo MB/s)
	if [ -z "$h" ] || [ -z "$g" ]; then
		echo "BENCH virtio-blk-$m: no figure (host: $(grep -m1 blkbench host.txt); guest: $(grep -m1 blkbench guest.txt))"
		continue
	fi
	echo "BENCH virtio-blk-$m: guest $g $unit, host on the image $h $unit, ratio $(ratio "$g" "$h") (medians of $RUNS)"
done

# rss_at_init FLAG...: seavmm's RSS without guest RAM once the guest reached init.
rss_at_init() {
	rm -f mark
	seavmm run -k /guest/Image -i /guest/virtio.cpio.gz -m 256M --reboot=exit "$@" \
		-p "console=ttyS0 quiet panic=-1 seavmm.test=bench" </dev/null 2>>err.txt |
		while read -r line; do
			case "$line" in
			*GUEST-INIT-REACHED*) rss_without_guest_kb "$(pidof seavmm)" >mark ;;
			esac
		done
	cat mark 2>/dev/null
}
[ -e /dev/net/tun ] || insmod /lib/modules/tun.ko 2>/dev/null
none="" all=""
for i in $(seq $RUNS); do
	none="$none $(rss_at_init)"
	all="$all $(rss_at_init --disk disk.img --net tap=bench0 --rng \
		--virtio-port "org.seavmm.agent.0,socket=$PWD/agent.sock")"
done
n=$(echo $none | median)
a=$(echo $all | median)
echo "BENCH seavmm-rss-without-guest-ram: with blk+net+rng+console $a KiB, without devices $n KiB, ratio $(ratio "$a" "$n") (runs: $all /$none)"
cat err.txt
