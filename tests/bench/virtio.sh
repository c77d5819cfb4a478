#!/usr/bin/env bash
# make bench, virtio figures: runs the bench-virtio scenario in the emulated
# host and prints its figures (virtio-blk in the guest beside the host on the
# same image, and seavmm's memory with and without the virtio devices).
# Figures only: fails only when the benchmark could not run.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rm -f build/integration/bench-virtio.log
bash tests/integration/run bench-virtio >build/bench-virtio.out 2>&1
rc=$?
log=build/integration/bench-virtio.log
echo "seavmm virtio benchmark (emulated arm64 host, nested KVM under TCG):"
grep '^BENCH ' "$log" 2>/dev/null | sed 's/^BENCH /  /'
if ! grep -q '^BENCH seavmm-rss' "$log" 2>/dev/null; then
	echo "bench-virtio did not produce figures:"
	cat build/bench-virtio.out
	tail -n 5 "$log" 2>/dev/null
	exit 1
fi
[ "$rc" = 0 ] || exit 1
