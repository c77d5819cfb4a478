# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): a poisoned guest stage-1 table page gives KVM_EXIT_ARM_SEA with the walk-level FSC.
sea_platform walk
