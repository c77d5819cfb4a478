# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): a guest store to a poisoned guest page exits with KVM_EXIT_ARM_SEA (EC 0x24, WnR).
sea_platform store
