#!/usr/bin/env bash
# make bench, boot figures: runs the bench-boot scenario in the emulated
# host and prints its figures. Figures only: never fails on a threshold
# (it fails only when the benchmark could not run).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
# Figures from an earlier run must never pass for this run's.
rm -f build/integration/bench-boot.log
bash tests/integration/run bench-boot >build/bench-boot.out 2>&1
rc=$?
log=build/integration/bench-boot.log
echo "seavmm boot benchmark (emulated arm64 host, nested KVM under TCG; medians of 5 boots):"
grep '^BENCH ' "$log" 2>/dev/null | sed 's/^BENCH /  /'
if ! grep -q '^BENCH boot-to-init' "$log" 2>/dev/null; then
	echo "bench-boot did not produce figures:"
	cat build/bench-boot.out
	tail -n 5 "$log" 2>/dev/null
	exit 1
fi
[ "$rc" = 0 ] || exit 1
