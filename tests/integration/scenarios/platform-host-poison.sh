# timeout: 60
# Emulated RAS platform (tests/emulator/README.md): a host process reading a poisoned page gets SIGBUS; the host keeps running.
sea_platform host-poison
