#!/usr/bin/env bash
# make bench, seavmm beside QEMU: runs the bench-vs-qemu scenario in an
# emulated host that also holds Debian sid's arm64 qemu-system-aarch64
# (fetched through the private apt tree, never committed) and prints its
# figures and ratios. Figures only: it fails only when it could not run.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rm -f build/integration/bench-vs-qemu.log
SEAVMM_BENCH_QEMU=1 bash tests/integration/run bench-vs-qemu >build/bench-vs-qemu.out 2>&1
rc=$?
log=build/integration/bench-vs-qemu.log
echo "seavmm vs Debian's QEMU (emulated arm64 host, nested KVM under TCG; medians of 5 interleaved runs each):"
grep '^BENCH ' "$log" 2>/dev/null | sed 's/^BENCH /  /'
if ! grep -q '^BENCH boot-to-init' "$log" 2>/dev/null; then
	echo "bench-vs-qemu did not produce figures:"
	cat build/bench-vs-qemu.out
	tail -n 5 "$log" 2>/dev/null
	exit 1
fi
[ "$rc" = 0 ] || exit 1
