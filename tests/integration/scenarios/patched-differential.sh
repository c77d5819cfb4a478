# timeout: 180
# host: kernel=patched
# The same SEA (data and instruction aborts, EL0 and EL1, FnV 0 and 1)
# injected once through KVM_SET_VCPU_EVENTS and once through seavmm's
# emulated exception entry (vmm/sea/inject_entry.c) leaves the guest the same
# ESR_EL1, ELR_EL1, SPSR_EL1, vector, handler PC and PSTATE, and FAR_EL1
# when FnV = 0 (sea_platform differential).
sea_platform differential
