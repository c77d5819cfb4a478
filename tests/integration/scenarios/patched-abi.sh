# timeout: 120
# host: kernel=patched
# Every rule of the patched kernel's KVM_SET_VCPU_EVENTS extension
# (tests/kernel/README.md), driving KVM directly (sea_platform abi): the
# capability; both aborts pending, an ESR without an abort, bits above
# ISS[24:0], non-zero pad or reserved, and an ESR on a VM without FEAT_RAS
# are EINVAL and leave the vCPU as it was; a supplied ISS is taken whole with
# EC for the EL and IL added, FAR the last exit's; without an ESR KVM's own
# syndrome; an abort after an MMIO read exit drops the read's completion.
sea_platform abi
