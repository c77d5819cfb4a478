# timeout: 300
# host: kernel=patched
# Benchmark (figures only, never fails on a threshold): the time from a
# KVM_EXIT_ARM_SEA to the next KVM_RUN spent presenting the abort, through
# KVM_SET_VCPU_EVENTS (events) and through the emulated exception entry
# (entry), 200 SEAs each, alternating, on the patched-kernel host; median,
# p99 and the ratio. Prints "BENCH name: ..." lines for tests/bench/inject.sh.
sea_platform bench-inject 200
