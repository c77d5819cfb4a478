#!/usr/bin/env bash
# ras/ benchmark (called by tests/bench/run): builds tests/bench/ras_bench.c
# natively with -O2, no sanitizers, and prints its figures. Never pass/fail
# on the figures themselves.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"
cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Iinclude \
	-o "$out/ras_bench" tests/bench/ras_bench.c ras/*.c
"$out/ras_bench"
