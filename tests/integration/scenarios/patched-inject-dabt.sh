# timeout: 120
# host: kernel=patched
# Data aborts from guest EL0 and EL1 (loads and stores, UER and UEO, FnV 0
# and 1) on poisoned pages, decided as seavmm does and injected through the
# patched kernel's KVM_SET_VCPU_EVENTS: the guest's ESR_EL1, FAR_EL1,
# ELR_EL1, SPSR_EL1, vector and handler PSTATE are what the architecture
# says (sea_platform inject-events dabt).
sea_platform inject-events dabt
