# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): a guest load from a poisoned guest page exits with KVM_EXIT_ARM_SEA (EC 0x24, FSC 0x10, GPA).
sea_platform load
