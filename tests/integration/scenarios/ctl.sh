# timeout: 420
# Every control-socket request (docs/api.md) through seavmm ctl against a
# running 2-vCPU guest (lib/sea.sh's guest: a process reports the GPA of a
# page it wrote and waits): status, poison-list and events before any error;
# inject-poison through the emulated platform's injector poisons the
# victim's page, the victim reads it, and 'events --follow' (started before)
# sees the SEA; restart boots the guest again; poison-list, events and
# metrics count the error (the page stays retired) and the restart; pause
# (the vCPU threads then wait in seavmm, not in KVM) and resume; stop ends
# the run with status 0 and removes the socket.
. /scenarios/lib/sea.sh
rm -f s.sock follow.txt ctl.txt wchan.txt
sock=$PWD/s.sock

# ctl_ok NAME ARGS...: seavmm ctl --json, its reply kept in NAME.json.
ctl_ok() {
	n=$1
	shift
	seavmm ctl --json "$sock" "$@" >"$n.json" 2>&1 || { echo "ctl $*: $(cat "$n.json")" >>ctl.txt; return 1; }
}
# want NAME TEXT: NAME.json holds TEXT, else a note in ctl.txt.
want() { grep -qF -- "$2" "$1.json" || echo "$1: lacks $2: $(head -c 600 "$1.json")" >>ctl.txt; }

# The vCPU threads' kernel wait channels (futex: waiting in seavmm's pause).
vcpu_wchans() {
	for t in /proc/$(cat pid.txt)/task/*; do
		case "$(cat "$t/comm")" in vcpu*) cat "$t/wchan"; echo ;; esac
	done | sort | uniq -c | tr '\n' ' '
}

feeder() {
	sea_victim_ready ctl.txt || return
	sea_platform hold-exit "$(cat pid.txt)" >hold.txt 2>&1 &
	waitfor_in hold.txt '^holding' 1 100 || { echo "hold-exit did not attach" >>ctl.txt; return; }
	gpa=$(cat gpa.txt)
	# The victim waits at most 120 s for its line: only what must come first here.
	ctl_ok status0 status && want status0 '"state":"running","vm":"seavmm-' &&
		want status0 '"vcpus":2,"memory_bytes":268435456' && want status0 '"inject":"emulator"' &&
		want status0 '"policy":{"user":"inject"' && want status0 '"counts":{"events":0,"pages":0'
	ctl_ok list0 poison-list && want list0 '"pages":[]'
	ctl_ok events0 events && want events0 '"events":[],"total":0'
	seavmm ctl --json "$sock" events --follow >follow.txt 2>follow.err &
	waitfor_in follow.txt '"request":"subscribe"' 1 100 || echo "events --follow did not subscribe" >>ctl.txt
	ctl_ok inject inject-poison "$gpa" uer && want inject '"mechanism":"emulator"' &&
		want inject "\"gpa\":\"$gpa\"" && want inject '"type":"uer"'
	sed -n 's/.*"pa":"\(0x[0-9a-f]*\)".*/poisoned host PA \1/p' inject.json >poison.txt
	echo poisoned
	waitfor_in follow.txt '"source":"sea_exit"' 1 600 || echo "events --follow saw no SEA" >>ctl.txt
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	# The guest waits 90 s for "cleared", then powers off: restart it first.
	ctl_ok restart restart && want restart '"state":"restarting"'
	ctl_ok list1 poison-list && want list1 "\"gpa\":\"$gpa\",\"state\":\"restart\",\"offlined\":false,\"count\":1"
	ctl_ok events1 events && want events1 '"total":1' && want events1 "\"gpa\":\"$gpa\""
	ctl_ok metrics metrics &&
		want metrics 'seavmm_memory_errors_total{source=\"sea_exit\",class=\"dabt_low\",action=\"inject_data\"} 1' &&
		want metrics 'seavmm_poisoned_pages{state=\"retired\"} 1' && want metrics 'seavmm_seconds_since_last_memory_error '
	seavmm ctl "$sock" metrics >metrics.txt 2>&1
	sea_waitfor GUEST-READY-FOR-POISON 2 || echo "no second boot after restart" >>ctl.txt
	ctl_ok status2 status && want status2 '"boots":2' && want status2 '"retired":1' && want status2 '"restarts":1'
	ctl_ok metrics2 metrics && want metrics2 'seavmm_restarts_total{cause=\"api\"} 1'
	ctl_ok pause pause && want pause '"state":"paused"'
	sleep 1
	echo "paused: $(vcpu_wchans)" >wchan.txt
	ctl_ok status1 status && want status1 '"state":"paused"'
	ctl_ok resume resume && want resume '"state":"running"'
	sleep 1
	echo "resumed: $(vcpu_wchans)" >>wchan.txt
	seavmm ctl "$sock" status >status.txt 2>&1
	ctl_ok stop stop && want stop '"state":"stopping"'
	sleep 2
}
feeder | sea_run --cpus 2 --api-socket "$sock" --allow-inject=emulator
rc=$?
sea_show
echo "--- ctl replies:"
for f in *.json; do echo "$f: $(head -c 1500 "$f")"; done
echo "--- events --follow:"
cat follow.txt follow.err
echo "--- readable status and metrics:"
cat status.txt metrics.txt
echo "--- vCPU wait channels: $(cat wchan.txt)"

sea_expect_poisoned
[ -s ctl.txt ] && { cat ctl.txt; echo "a control-socket reply was not as expected: $(head -n1 ctl.txt)"; exit 1; }
[ "$rc" = 0 ] || { echo "seavmm exited with status $rc after 'stop', want 0"; exit 1; }
grep -q 'stopped the guest, as a control-socket request asked' err.txt || { echo "no stop message on stderr"; exit 1; }
grep -q 'restarting the guest, as a control-socket request asked' err.txt || { echo "no restart message on stderr"; exit 1; }
grep -q 'SEA-VICTIM: child killed by signal 7 (SIGBUS)' out.txt || { echo "the victim did not die of SIGBUS"; exit 1; }
sea_expect_line "an EL0 UER data abort injected and the frame retired" \
	'* dabt_low sea set=uer el=0 -> inject data abort + retire=* poison=poisoned; *user=inject*'
# The streamed record is the one --ras-events wrote.
rec=$(grep '"source":"sea_exit"' follow.txt)
[ "$rec" = "$(grep '"source":"sea_exit"' events.json)" ] || { echo "the streamed record differs from the --ras-events one"; exit 1; }
grep -q '^state: *running' status.txt || { echo "readable status does not say running"; exit 1; }
grep -q '^seavmm_memory_errors_total{source="sea_exit",class="dabt_low",action="inject_data"} 1$' metrics.txt ||
	{ echo "readable metrics lack the event"; exit 1; }
case "$(cat wchan.txt)" in
*"paused: "*"2 futex"*"resumed: "*) ;;
*) echo "while paused the 2 vCPU threads did not wait in seavmm: $(cat wchan.txt)"; exit 1 ;;
esac
case "$(grep '^resumed:' wchan.txt)" in
*futex*) echo "after resume a vCPU thread still waits in seavmm: $(cat wchan.txt)"; exit 1 ;;
esac
[ ! -e "$sock" ] || { echo "the socket was not removed at exit"; exit 1; }
echo "ctl ok"
