# The virtual-poison scenarios, guest side: sea_access (guest-images/progs/
# sea_access.c) with the arguments of seavmm.access=A,B,... on the kernel
# command line touches a page the host poisons; every access must end in
# SIGBUS, never in other data. Then the guest must still run: it waits for
# the host to clear the poison, checks its timer and a new process, and
# reports.
bad=""
. /tests/common.sh
args=$(sed -n 's/.*seavmm\.access=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
sea_access $args
rc=$?
[ "$rc" = 0 ] || bad="$bad access=$rc"
after_poison
