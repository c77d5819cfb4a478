# timeout: 30
# seavmm's guard on vCPU threads' thread pointer (vmm/core/thread_pointer.c,
# docs/host-kernel-bugs.md) on arm64's real TPIDR_EL0: a wrong value left by
# the host after KVM_RUN is put back by the vCPU loop's check or by a signal
# handler, and seavmm's fault handler still says what happened.
tp_guard all
