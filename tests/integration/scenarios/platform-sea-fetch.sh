# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): a guest instruction fetch from a poisoned page exits with KVM_EXIT_ARM_SEA (EC 0x20).
sea_platform fetch
