# timeout: 1500
# host: gic-version=2
# Issue 14 item 12: stress-start.sh (which says what it checks and how to
# run both) on a GICv2 host; copy both into scenarios/ to run them.
. /scenarios/stress-start.sh
