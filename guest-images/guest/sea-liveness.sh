# sea-liveness, guest side: seavmm-agent runs; a process write()s a page the
# host poisoned into a pipe, so the guest kernel consumes the poison in
# write(). With kernel=inject seavmm injects the abort at EL1; the kernel
# oopses, and oops=panic panic=0 (the command line) leave it halted for good:
# the agent's heartbeat stops. The guest seavmm restarts runs to its end (its
# victim is told to skip).
bad=""
. /tests/common.sh
agent_start
agent_victim pipe
rc=$?
[ "$rc" = 0 ] || bad="$bad victim=$rc"
echo "GUEST-RESULT: ${bad:-ok}"
