# timeout: 240
# seavmm run on a real terminal (a pseudo-terminal from pty_run): the console
# is in raw mode while the guest runs; Ctrl-a x quits with status 0; SIGTERM
# ends seavmm by that signal (vmm/core/term.c re-raises it); bad input fails with
# status 2 before touching the terminal. Every way out leaves the terminal's
# settings as they were (tests/integration/progs/pty_run.c checks them).
fails=0
# check LABEL FILE WANT...: every "name: value" line WANT is in pty_run's report FILE
check() {
	label=$1 f=$2
	shift 2
	sed "s/^/$label: /" "$f"
	for want in "$@"; do
		grep -qxF "$want" "$f" || { echo "FAILED $label: want '$want'"; fails=$((fails + 1)); }
	done
}
# The guest only has to run and print: the stand-in guest that idles will do.
G="seavmm run -k /guest/stub-idle.img -m 128M"
P="console=ttyS0"

# (d) bad input, no boot: status 2, one error line, terminal untouched.
pty_run -t 20 -o bad.out -- seavmm run -k /nonexistent/Image -p "$P" >bad.rep
check bad-input bad.rep 'status: exit 2' 'termios-restored: yes'
grep -q 'cannot open kernel' bad.out || { echo "FAILED bad-input: no error line: $(cat bad.out)"; fails=$((fails + 1)); }

# (a, b) Ctrl-a x once the guest is up: raw mode meanwhile, status 0, restored.
pty_run -t 40 -o quit.out -m STUB-GUEST: -s "$(printf '\001x')" -- $G -p "$P" >quit.rep
check ctrl-a-x quit.rep 'raw-during-run: yes' 'status: exit 0' 'termios-restored: yes'
grep -q 'quit (console escape Ctrl-a x)' quit.out || { echo "FAILED ctrl-a-x: seavmm did not say it quit"; fails=$((fails + 1)); }

# (c) SIGTERM while the guest runs: seavmm dies of SIGTERM, terminal restored.
pty_run -t 40 -o term.out -m STUB-GUEST: -k 15 -- $G -p "$P" >term.rep
check sigterm term.rep 'raw-during-run: yes' 'status: signal 15' 'termios-restored: yes'

if [ "$fails" != 0 ]; then
	echo "--- seavmm output (Ctrl-a x run) ---"
	tail -n 5 quit.out
	echo "--- seavmm output (SIGTERM run) ---"
	tail -n 5 term.out
	echo "$fails console-tty checks failed"
	exit 1
fi
echo "console-tty ok"
