# timeout: 3600
# Issue 14 item 12: stress-boot.sh (which says what it checks and how to run
# it) with two busy loops beside each boot.
STRESS_HOGS=2
STRESS_SECONDS=${STRESS_SECONDS:-600}
. /scenarios/stress-boot.sh
