#!/usr/bin/env bash
# make bench, one benchmark scenario: runs tests/integration/scenarios/NAME.sh
# in the emulated host and prints its "BENCH ..." figures under TITLE.
# Figures only: never fails on a threshold (it fails only when the benchmark
# could not run).   Usage: scenario.sh NAME TITLE
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
name=$1 title=$2
log=build/integration/$name.log
# Figures from an earlier run must never pass for this run's.
rm -f "$log"
bash tests/integration/run "$name" >"build/$name.out" 2>&1
rc=$?
echo "$title"
grep '^BENCH ' "$log" 2>/dev/null | sed 's/^BENCH /  /'
if ! grep -q '^BENCH ' "$log" 2>/dev/null; then
	echo "$name did not produce figures:"
	cat "build/$name.out"
	tail -n 5 "$log" 2>/dev/null
	exit 1
fi
[ "$rc" = 0 ] || exit 1
