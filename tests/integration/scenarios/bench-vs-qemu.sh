# timeout: 600
# Benchmark (figures only, never fails on a threshold): seavmm beside Debian
# sid's own arm64 QEMU (qemu-system-aarch64, /opt/qemu in this host: make
# bench runs this with SEAVMM_BENCH_QEMU=1), booting the same guest kernel
# and initramfs with the same machine (1 vCPU, 256M, GICv3, KVM), runs
# interleaved. Per VMM, the median of RUNS runs of: start to the guest's init
# (boot-to-init), start to exit (the guest sleeps 2 s, then powers off), and
# the VMM's resident memory apart from guest RAM once init runs; then each
# ratio seavmm / QEMU. Prints "BENCH name: ..." lines for tests/bench/vs-qemu.sh.
RUNS=5
QEMU_DIR=/opt/qemu
[ -x $QEMU_DIR/bin/qemu-system-aarch64 ] ||
	{ echo "SKIP: no Debian QEMU in this host (run through make bench, which sets SEAVMM_BENCH_QEMU=1)"; exit 77; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
now() { cut -d' ' -f1 /proc/uptime; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%d", (b - a) * 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

# RSS minus the guest RAM mapping: seavmm names it "seavmm guest ram"; QEMU's
# (and seavmm's on kernels without anonymous VMA names) is the one mapping of
# exactly the guest's size.
MEM_KB=262144
rss_without_guest_kb() {
	awk -v mem="$MEM_KB" '/^[0-9a-f]+-[0-9a-f]+ / {guest = ($0 ~ /seavmm guest ram/)}
		/^Size:/ && $2 == mem {guest = 1} /^Rss:/ && !guest {s += $2} END {print s + 0}' "/proc/$1/smaps"
}

# Each VMM through "sh -c": the pid it writes is the VMM's own after exec.
seavmm_cmd() {
	sh -c 'echo $$ >vpid; exec "$@"' sh seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz \
		-c 1 -m 256M --reboot=exit -p "console=ttyS0 quiet panic=-1 seavmm.test=bench"
}
qemu_cmd() {
	sh -c 'echo $$ >vpid; exec "$@"' sh $QEMU_DIR/lib/ld-linux-aarch64.so.1 \
		--library-path $QEMU_DIR/lib $QEMU_DIR/bin/qemu-system-aarch64 -M virt,gic-version=3 \
		-accel kvm -cpu host -smp 1 -m 256M -nodefaults -display none -serial stdio \
		-monitor none -no-reboot -kernel /guest/Image -initrd /guest/initramfs.cpio.gz \
		-append "console=ttyAMA0 quiet panic=-1 seavmm.test=bench"
}

# one VMM: start, time to init and to exit, RSS at init; appends to $VMM.* lists.
one() {
	vmm=$1
	rm -f mark vpid
	t0=$(now)
	${vmm}_cmd </dev/null 2>"$vmm.err" |
		while read -r line; do
			case "$line" in
			*GUEST-INIT-REACHED*)
				t=$(now)
				echo "$t $(rss_without_guest_kb "$(cat vpid)")" >mark
				;;
			esac
		done
	t2=$(now)
	[ -s mark ] || { echo "$vmm run: the guest never reached init"; cat "$vmm.err"; exit 1; }
	read -r t1 kb <mark
	eval "${vmm}_boot=\"\$${vmm}_boot $(ms "$t0" "$t1")\""
	eval "${vmm}_total=\"\$${vmm}_total $(ms "$t0" "$t2")\""
	eval "${vmm}_rss=\"\$${vmm}_rss $kb\""
}

seavmm_boot="" seavmm_total="" seavmm_rss="" qemu_boot="" qemu_total="" qemu_rss=""
for i in $(seq $RUNS); do
	one seavmm
	one qemu
done
sb=$(echo $seavmm_boot | median) qb=$(echo $qemu_boot | median)
st=$(echo $seavmm_total | median) qt=$(echo $qemu_total | median)
sr=$(echo $seavmm_rss | median) qr=$(echo $qemu_rss | median)
echo "BENCH versions: seavmm $(seavmm version | head -n1); QEMU $(cat $QEMU_DIR/VERSION) (Debian sid arm64)"
echo "BENCH boot-to-init: seavmm $sb ms, QEMU $qb ms, ratio $(ratio "$sb" "$qb") (runs: seavmm$seavmm_boot; QEMU$qemu_boot)"
echo "BENCH start-to-exit: seavmm $st ms, QEMU $qt ms, ratio $(ratio "$st" "$qt") (runs: seavmm$seavmm_total; QEMU$qemu_total; includes a 2 s guest sleep)"
echo "BENCH rss-without-guest-ram: seavmm $sr KiB, QEMU $qr KiB, ratio $(ratio "$sr" "$qr") (runs: seavmm$seavmm_rss; QEMU$qemu_rss)"
