# timeout: 3600
# Issue 14 item 12, a stress run and not part of make check (it lives
# outside scenarios/): to run it, copy it there, then
#   flock /tmp/seavmm-int.lock tests/integration/run stress-tpidr
# tpidr_swap (tests/integration/progs/tpidr_swap.c, which says what it
# checks) for STRESS_SECONDS (default 600) beside STRESS_HOGS busy loops
# (default 2), which preempt its vCPU threads at random points. Then the
# host kernel's WARNING/BUG reports and its taint. Settings come from the
# environment, which the host's init has from the host kernel's command
# line: e.g. HOST_APPEND="STRESS_SECONDS=300 TPIDR_VCPUS=4 TPIDR_KICK_US=200"
# (also STRESS_HOGS, TPIDR_YIELD=1, TPIDR_WFI=1, TPIDR_VM_MS=N,
# TPIDR_FAULT_MB=N, TPIDR_KEEP_VM=1: tpidr_swap's -k, -y, -w, -r, -f, -K).
# Fails when a vCPU thread or a guest ever saw a TPIDR_EL0 other than its
# own. host-init holds one idle VM for the host's life, which keeps the
# fault away: to reproduce it, add KVM_HOLD=0 to HOST_APPEND, e.g.
#   HOST_APPEND="KVM_HOLD=0 STRESS_SECONDS=240 TPIDR_VCPUS=1 TPIDR_KICK_US=200 TPIDR_YIELD=1 ignore_loglevel"
# (docs/host-kernel-bugs.md: it broke within 15 to 300 s in every such run).
secs=${STRESS_SECONDS:-600}
args=""
[ -n "${TPIDR_KICK_US:-}" ] && args="$args -k $TPIDR_KICK_US"
[ "${TPIDR_YIELD:-0}" = 1 ] && args="$args -y"
[ "${TPIDR_WFI:-0}" = 1 ] && args="$args -w"
# A new VM every 300 ms by default: with one VM for the whole run it has not
# reproduced (10 min); TPIDR_VM_MS=0 keeps one.
args="$args -r ${TPIDR_VM_MS:-300}"
[ -n "${TPIDR_FAULT_MB:-}" ] && args="$args -f $TPIDR_FAULT_MB"
[ "${TPIDR_KEEP_VM:-0}" = 1 ] && args="$args -K"
echo "host: $(uname -r), $(nproc) CPUs, tainted $(cat /proc/sys/kernel/tainted) at start, idle VM held: $(pidof kvm_hold >/dev/null && echo yes || echo no)"
echo "host command line: $(cat /proc/cmdline)"
dmesg | grep -i -E 'kvm \[|VHE|hyp mode' | head -n 5
hogs=""
for h in $(seq "${STRESS_HOGS:-2}"); do
	(while :; do :; done) &
	hogs="$hogs $!"
done
trap '[ -n "$hogs" ] && kill $hogs 2>/dev/null' EXIT
echo "tpidr_swap$args $secs ${TPIDR_VCPUS:-2} beside ${STRESS_HOGS:-2} busy loops"
# Its lines as they come: the host may not live to the end.
{
	tpidr_swap $args "$secs" "${TPIDR_VCPUS:-2}" 2>&1
	echo $? >rc.txt
} | tee out.txt
rc=$(cat rc.txt)
[ -n "$hogs" ] && kill $hogs 2>/dev/null
hogs=""
# Each report from its "cut here" line (or a BUG line) to its end trace.
dmesg | awk '/cut here|BUG:|Internal error/ {on = 1} on {print "    dmesg: " $0} /end trace/ {on = 0}' | head -n 200
echo "tainted: $(cat /proc/sys/kernel/tainted)"
echo "tpidr_swap exit status $rc: $(tail -n 1 out.txt)"
exit $rc
