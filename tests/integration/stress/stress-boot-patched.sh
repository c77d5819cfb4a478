# timeout: 3600
# host: kernel=patched
# Issue 14 item 12: stress-boot.sh (which says what it checks and how to run
# both) on the patched-kernel host, where the SIGSEGV came the second time.
. /scenarios/stress-boot.sh
