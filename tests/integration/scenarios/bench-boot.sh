# timeout: 240
# Benchmark (figures only, never fails on a threshold): time from 'seavmm run'
# starting to the guest's init, and seavmm's own resident memory apart from
# guest RAM, each the median of RUNS boots; beside a baseline: the time this
# host takes to start and finish a trivial static process (seavmm version).
# Prints "BENCH name: value unit (runs: ...)" lines for tests/bench/boot.sh.
RUNS=5
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
now() { cut -d' ' -f1 /proc/uptime; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%d", (b - a) * 1000}'; }

# seavmm's RSS minus the guest RAM mapping: named "seavmm guest ram" where
# the kernel has CONFIG_ANON_VMA_NAME, else the one mapping of exactly --mem.
MEM_KB=262144
rss_without_guest_kb() {
	awk -v mem="$MEM_KB" '/^[0-9a-f]+-[0-9a-f]+ / {guest = ($0 ~ /seavmm guest ram/)}
		/^Size:/ && $2 == mem {guest = 1} /^Rss:/ && !guest {s += $2} END {print s + 0}' "/proc/$1/smaps"
}

# Baseline: 50 runs of a trivial static process, per run.
t0=$(now)
for i in $(seq 50); do seavmm version >/dev/null; done
t1=$(now)
base_us=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", (b - a) * 1000000 / 50}')

boot_ms="" rss_kb="" total_ms=""
for i in $(seq $RUNS); do
	rm -f mark
	t0=$(now)
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 1 -m 256M --reboot=exit \
		-p "console=ttyS0 quiet panic=-1 seavmm.test=bench" </dev/null 2>err.txt |
		while read -r line; do
			case "$line" in
			*GUEST-INIT-REACHED*)
				t=$(now)
				pid=$(pidof seavmm)
				echo "$t $(rss_without_guest_kb $pid)" >mark
				;;
			esac
		done
	t2=$(now)
	[ -s mark ] || { echo "run $i: the guest never reached init"; cat err.txt; exit 1; }
	read -r t1 kb <mark
	boot_ms="$boot_ms $(ms "$t0" "$t1")"
	total_ms="$total_ms $(ms "$t0" "$t2")"
	rss_kb="$rss_kb $kb"
done
echo "BENCH baseline: static process start to exit: $base_us us (mean of 50 runs)"
echo "BENCH boot-to-init: $(echo $boot_ms | median) ms (runs:$boot_ms; 1 vCPU, 256M, nested under TCG)"
echo "BENCH run-to-exit: $(echo $total_ms | median) ms (runs:$total_ms; includes a 2 s guest sleep)"
echo "BENCH seavmm-rss-without-guest-ram: $(echo $rss_kb | median) KiB (runs:$rss_kb)"
