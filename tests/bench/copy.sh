#!/usr/bin/env bash
# Guarded-copy benchmark (called by tests/bench/run): builds
# tests/bench/copy_bench.c natively with -O2, no sanitizers, and prints its
# figures: the cost of device emulation's guarded copies of guest memory
# beside memcpy. Never pass/fail on the figures themselves.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"
# vmm/'s groups are on the include path, as in the Makefile.
inc=(-Iinclude)
for d in vmm/*/; do inc+=(-iquote "${d%/}"); done
cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror "${inc[@]}" -pthread \
	-o "$out/copy_bench" tests/bench/copy_bench.c vmm/core/guest_copy.c
"$out/copy_bench"
