# Sourced by the guest test scripts; not a test itself.

# check_sleep: a 1 s sleep must take about 1 s of guest time (the architected
# timer and its interrupt work). Adds to $bad when it does not.
check_sleep() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	t1=$(cut -d' ' -f1 /proc/uptime)
	dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
	echo "guest: sleep 1 took $dt s"
	awk -v d="$dt" 'BEGIN {exit !(d >= 0.95 && d <= 2.5)}' || bad="$bad timer=${dt}s"
}

# after_poison: a guest that met poison must still run: wait for the host to
# clear the poison ("cleared" on the console), check the timer and a new
# process, and report GUEST-RESULT with $bad.
after_poison() {
	echo "GUEST-WAITING-FOR-CLEAR"
	if read -t 90 line; then
		[ "$line" = "cleared" ] || bad="$bad input='$line'"
	else
		bad="$bad no-clear"
	fi
	check_sleep
	out=$(echo alive | cat) || bad="$bad new-process"
	[ "$out" = alive ] || bad="$bad new-process=$out"
	echo "GUEST-RESULT: ${bad:-ok}"
}

# agent_start [FLAG...]: seavmm-agent (agent/) in the background, its lines
# ("seavmm-agent: ...") on the console with the test's own.
agent_start() {
	seavmm-agent "$@" 2>&1 &
	agent_pid=$!
}

# hw_corrupted: the guest kernel's count of poisoned memory, in kB.
hw_corrupted() {
	sed -n 's/^HardwareCorrupted: *\([0-9]*\) kB/\1/p' /proc/meminfo
}
