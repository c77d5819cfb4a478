# timeout: 120
# host: kernel=patched
# Instruction aborts from guest EL0 and EL1 (fetches from poisoned pages,
# FnV 0 and 1) injected through the patched kernel's KVM_SET_VCPU_EVENTS:
# the guest-visible state is the architecture's (sea_platform inject-events
# iabt).
sea_platform inject-events iabt
