# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): after the exit, ext_dabt_pending gives the guest a data abort (ESR_EL1, FAR_EL1).
sea_platform inject-dabt
