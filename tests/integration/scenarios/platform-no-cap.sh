# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): without KVM_CAP_ARM_SEA_TO_USER the guest gets an SError and there is no exit.
sea_platform no-cap
