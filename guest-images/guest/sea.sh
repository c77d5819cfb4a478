# sea-user-inject, guest side: a process consumes a memory error the host
# planted in its page (guest-images/progs/sea_victim.c) and must die of
# SIGBUS alone; then the guest must still run: it waits for the host to clear
# the poison, checks its timer and a new process, and reports.
bad=""
. /tests/common.sh
sea_victim
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
after_poison
