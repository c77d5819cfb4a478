# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): UEO and UC poison show their SET values in the exit's ESR.
sea_platform set
