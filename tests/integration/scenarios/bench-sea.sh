# timeout: 300
# Benchmark (figures only, never fails on a threshold): time from a guest
# access to a poisoned page to the SIGBUS of the process that made it, for
# the first error on each of 5 pages (KVM_EXIT_ARM_SEA, retire, inject) and
# for 40 later accesses to one of them (virtual poison: the host kernel's
# hwpoison SIGBUS, the guest page walk, inject), beside a plain MMIO read
# round trip (KVM_EXIT_MMIO) measured in the same guest: medians and p99 in
# guest time, and their ratios. The storm rules are widened so that the
# repeated accesses are measured, not escalated.
. /scenarios/lib/sea.sh
feeder() {
	sea_poison_victim
	echo go
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	sea_platform clear-all >/dev/null 2>&1
	echo cleared
}
feeder | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit \
	--ras storm=254 --ras storm_rate=254 -p "console=ttyS0 quiet panic=-1 seavmm.test=lat" \
	>out.txt 2>err.txt
rc=$?
cat out.txt | tr -d '\r' | grep -E '^LAT|GUEST-LAT' 
med() { tr -d '\r' <out.txt | sed -n "s/^LAT $1 .*median=\([0-9.]*\).*/\1/p"; }
p99() { tr -d '\r' <out.txt | sed -n "s/^LAT $1 .*p99=\([0-9.]*\).*/\1/p"; }
m=$(med mmio-round-trip) f=$(med first-error) r=$(med re-access)
[ -n "$m" ] && [ -n "$f" ] && [ -n "$r" ] || { echo "no figures (seavmm status $rc)"; tail -n 5 err.txt; exit 1; }
echo "BENCH mmio-round-trip (baseline): median $m us, p99 $(p99 mmio-round-trip) us"
echo "BENCH first-error access-to-SIGBUS: median $f us, p99 $(p99 first-error) us ($(awk -v a="$f" -v b="$m" 'BEGIN {printf "%.0f", a / b}') x the MMIO round trip)"
echo "BENCH re-access access-to-SIGBUS: median $r us, p99 $(p99 re-access) us ($(awk -v a="$r" -v b="$m" 'BEGIN {printf "%.0f", a / b}') x the MMIO round trip)"
