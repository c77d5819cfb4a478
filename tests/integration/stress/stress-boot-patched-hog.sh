# timeout: 3600
# host: kernel=patched
# Issue 14 item 12: stress-boot-hog.sh on the patched-kernel host.
STRESS_HOGS=2
STRESS_SECONDS=${STRESS_SECONDS:-600}
. /scenarios/stress-boot.sh
