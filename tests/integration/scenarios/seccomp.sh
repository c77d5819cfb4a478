# timeout: 300
# seccomp (docs/usage.md): after start-up every seavmm thread runs under a
# filter of the system calls its role needs. A call injected into a running
# seavmm's console thread, a vCPU thread, a virtio device's I/O thread, the
# control socket's thread and the guest agent's, as code in a compromised
# seavmm would make it (syscall_inject, through ptrace), is refused: seavmm
# stops with one line naming the call and the thread, and dies of SIGSYS
# (status 159). With --seccomp off the same injected call goes through (a
# socket appears among seavmm's descriptors): it is the filter that refuses.
# The guest is only booting meanwhile: its vCPU and console threads are up.
SOCKET=198 # aarch64
G="seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -m 128M --reboot=exit"
P="console=ttyS0 quiet panic=-1 seavmm.test=idle"

# start NAME THREAD N FLAG...: seavmm in the background (pid) until its
# thread THREAD (tid) is up under N seccomp filters (its own, and for a vCPU
# the main thread's it inherits first; /proc's Seccomp_filters).
start() {
	name=$1 thread=$2 filters=$3
	shift 3
	$G -p "$P" "$@" </dev/null >"$name.out" 2>"$name.err" &
	pid=$!
	i=0
	while :; do
		kill -0 "$pid" 2>/dev/null || { echo "$name: seavmm ended early: $(tail -n 2 "$name.err")"; exit 1; }
		tid=$(grep -l -x "$thread" /proc/"$pid"/task/*/comm 2>/dev/null | cut -d/ -f5 | head -n 1)
		[ -n "$tid" ] && grep -q "^Seccomp_filters:[[:space:]]*$filters$" "/proc/$pid/task/$tid/status" && break
		[ $i -lt 600 ] || { kill -9 "$pid"; echo "$name: no $thread thread under $filters filters"; exit 1; }
		sleep 0.1
		i=$((i + 1))
	done
}

# inject NAME THREAD: socket(AF_UNIX, SOCK_STREAM, 0) made by THREAD
inject() {
	syscall_inject "$pid" "$2" $SOCKET 1 1 0 >/dev/null || { kill -9 "$pid"; echo "$1: cannot inject"; exit 1; }
}

# refused NAME THREAD FILTERS ROLE FLAG...: the injected call ends seavmm with its SIGSYS line
refused() {
	n=$1 th=$2 f=$3 role=$4
	shift 4
	start "$n" "$th" "$f" "$@"
	inject "$n" "$th"
	wait "$pid"
	rc=$?
	cat "$n.err"
	[ "$rc" = 159 ] || { echo "$n: seavmm exited with status $rc, want 159 (SIGSYS)"; exit 1; }
	grep -q "^seavmm: seccomp: the $role thread made a system call its filter forbids: socket ($SOCKET)" "$n.err" ||
		{ echo "$n: no seccomp line naming socket and the $role thread"; exit 1; }
	echo "$n: refused, status $rc"
}

# The control: without the filter the injection works.
start off console 0 --seccomp off
inject off console
i=0
while ! ls -l "/proc/$pid/fd" | grep -q 'socket:' && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ls -l "/proc/$pid/fd" | grep -q 'socket:' || { kill -9 "$pid"; echo "off: the injected socket() did not run"; exit 1; }
kill -0 "$pid" || { echo "off: seavmm died of the injection: $(tail -n 2 off.err)"; exit 1; }
kill -TERM "$pid"
wait "$pid"
echo "off: the injected socket() ran"

refused console console 1 console
refused vcpu vcpu0 2 vCPU
# Threads started before main's filter install their own: one filter each.
refused virtio virtio-rng 1 "virtio I/O" --rng
refused api api 1 api --api-socket "$PWD/api.sock"
refused agent agent 1 agent --agent
echo "seccomp ok"
