#!/usr/bin/env bash
# make bench, injection figures: runs the bench-inject scenario on the
# patched-kernel host (tests/kernel/README.md; built first when not cached)
# and prints its figures. Figures only: fails only when it could not run.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rm -f build/integration/bench-inject.log
bash tests/integration/run bench-inject >build/bench-inject.out 2>&1
rc=$?
log=build/integration/bench-inject.log
echo "abort injection, SEA exit to next KVM_RUN (patched-kernel emulated host, nested KVM under TCG):"
grep '^BENCH ' "$log" 2>/dev/null | sed 's/^BENCH /  /'
if ! grep -q '^BENCH sea-to-run-ratio' "$log" 2>/dev/null; then
	echo "bench-inject did not produce figures:"
	cat build/bench-inject.out
	tail -n 5 "$log" 2>/dev/null
	exit 1
fi
[ "$rc" = 0 ] || exit 1
