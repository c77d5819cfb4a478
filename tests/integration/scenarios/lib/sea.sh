# Shared by the sea-* scenarios: a guest process (guest-images/guest/sea.sh,
# sea_victim) reports the GPA of a page it wrote; the host poisons the host
# page behind it and tells the guest to read it. Poison must never reach the
# host kernel's allocator (it has no APEI here and panics zeroing such a
# page), so: all poison is cleared at the start and on every way out of the
# scenario, and sea_platform hold-exit clears it when seavmm begins to exit,
# before its memory (the quarantined page too) is freed.
. /scenarios/lib/guest.sh
trap 'sea_platform clear-all >/dev/null 2>&1' EXIT INT TERM HUP
sea_platform clear-all >/dev/null 2>&1
rm -f events.json gpa.txt pid.txt poison.txt after.txt hold.txt

# sea_waitfor PATTERN [N]: until out.txt shows PATTERN N times (default 1).
# Gives up after 90 s, or when seavmm has gone.
sea_waitfor() { waitfor_in out.txt "$1" "${2:-1}" 900; }

# waitfor_in FILE PATTERN N TENTHS: until FILE shows PATTERN N times; gives up
# after TENTHS tenths of a second, or when seavmm has gone.
waitfor_in() {
	i=0
	# grep -c prints nothing while FILE does not exist yet: count that as 0.
	while n=$(grep -c "$2" "$1" 2>/dev/null); [ "${n:-0}" -lt "$3" ]; do
		[ $i -ge "$4" ] && return 1
		[ -s pid.txt ] && ! kill -0 "$(cat pid.txt)" 2>/dev/null && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# sea_victim_ready FILE: waits for the guest's victim and notes its pages'
# GPAs (gpa.txt, one a line: most victims have one page) and seavmm's pid
# (pid.txt); on failure says why in FILE.
sea_victim_ready() {
	sea_waitfor GUEST-READY-FOR-POISON || { echo "no GUEST-READY-FOR-POISON" >"$1"; return 1; }
	sed -n 's/.*SEA-VICTIM gpa=\(0x[0-9a-f]*\).*/\1/p' out.txt | tr -d '\r' >gpa.txt
	pidof seavmm >pid.txt
}

# sea_poison_victim [TYPE]: once the guest is ready, holds seavmm's exit and
# poisons the victim's page (gpa.txt, pid.txt, poison.txt, hold.txt).
sea_poison_victim() {
	sea_victim_ready poison.txt || return 1
	sea_poison_victim_at "$@"
}

# sea_poison_victim_at [TYPE]: as sea_poison_victim, for the pages of gpa.txt
# in the seavmm of pid.txt, noted already.
sea_poison_victim_at() {
	sea_platform hold-exit "$(cat pid.txt)" >hold.txt 2>&1 &
	i=0
	while ! grep -q '^holding' hold.txt 2>/dev/null; do
		[ $i -ge 100 ] && { echo "sea_platform hold-exit did not attach: $(cat hold.txt)" >poison.txt; return 1; }
		sleep 0.1
		i=$((i + 1))
	done
	: >poison.txt
	for g in $(cat gpa.txt); do
		sea_platform poison-guest "$(cat pid.txt)" "$g" "${1:-uer}" >>poison.txt 2>&1 || return 1
	done
}

# sea_run [FLAG...]: the guest of guest-images/guest/sea.sh under seavmm run
# (256M, --reboot=exit, records to events.json) with FLAGs added; console input
# from standard input, output in out.txt and err.txt.
sea_run() {
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit \
		--ras-events events.json -p "console=ttyS0 quiet panic=-1 seavmm.test=sea" "$@" \
		>out.txt 2>err.txt
}

# sea_feed: the usual console input of a one-error scenario: once the guest
# is ready, poison its pages, say "poisoned", wait until the guest is done
# with them, note what backs the (first) GPA then (after.txt), clear all
# poison and say "cleared".
sea_feed() {
	sea_poison_victim
	echo poisoned
	sea_waitfor GUEST-WAITING-FOR-CLEAR
	sea_platform guest-pa "$(cat pid.txt)" "$(head -n1 gpa.txt)" >after.txt 2>&1
	sea_platform clear-all >/dev/null 2>&1
	echo cleared
}

# access_run ACCESS [FLAG...]: as sea_run, with the guest of
# guest-images/guest/access.sh running sea_access ACCESS (comma-separated).
access_run() {
	a=$1
	shift
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit \
		--ras-events events.json -p "console=ttyS0 quiet panic=-1 seavmm.test=access seavmm.access=$a" \
		"$@" >out.txt 2>err.txt
}

# sea_expect_line DESC PATTERN [GREP]: stderr's event line for the page (the
# one matching GREP when the page has several) matches the case PATTERN.
sea_expect_line() {
	line=$(grep "${3:-memory error: gpa $gpa }" err.txt)
	case "$line" in
	$2) ;;
	*) echo "event line is not $1: ${line:-none}"; exit 1 ;;
	esac
}

# sea_show: everything the run left, for the scenario's log.
sea_show() {
	sea_platform clear-all >/dev/null 2>&1
	# hold-exit reports once seavmm has exited.
	i=0
	while [ -s pid.txt ] && ! grep -q 'exiting\|ended' hold.txt 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	cat out.txt err.txt
	echo "--- poison: $(cat poison.txt 2>/dev/null)"
	echo "--- hold: $(cat hold.txt 2>/dev/null)"
	echo "--- after: $(cat after.txt 2>/dev/null)"
	echo "--- events.json:"
	cat events.json 2>/dev/null
}

# sea_expect_poisoned: the KVM capability was on and the page was poisoned.
sea_expect_poisoned() {
	grep -q 'lacks KVM_CAP_ARM_SEA_TO_USER' err.txt &&
		{ echo "this host's kernel lacks KVM_CAP_ARM_SEA_TO_USER; it must have it"; exit 1; }
	grep -q 'KVM_ENABLE_CAP(KVM_CAP_ARM_SEA_TO_USER)' err.txt &&
		{ echo "enabling KVM_CAP_ARM_SEA_TO_USER failed"; exit 1; }
	gpa=$(head -n1 gpa.txt 2>/dev/null)
	[ -n "$gpa" ] || { echo "the guest never reported its page's GPA"; exit 1; }
	grep -q '^poisoned host PA' poison.txt ||
		{ echo "poisoning the guest page failed: $(tail -n1 poison.txt 2>/dev/null)"; exit 1; }
	pa=$(sed -n 's/.*host PA \(0x[0-9a-f]*\).*/\1/p' poison.txt | head -n1)
}

# sea_expect_records N: events.json holds N event records; record K
# (1-based) is then in $rec_K.
sea_expect_records() {
	[ "$(ev_lines | wc -l)" = "$1" ] ||
		{ echo "want $1 event records in events.json, got $(ev_lines | wc -l)"; exit 1; }
	i=1
	while [ $i -le "$1" ]; do
		eval "rec_$i=\$(ev_lines | sed -n ${i}p)"
		i=$((i + 1))
	done
}

# rec_has REC DESC WANT...: the record REC holds every WANT.
rec_has() {
	r=$1 d=$2
	shift 2
	for want in "$@"; do
		case "$r" in *"$want"*) ;; *) echo "the $d record lacks $want: $r"; exit 1 ;; esac
	done
}

# sea_expect_sigbus N WHAT: access N of sea_access died of SIGBUS BUS_OBJERR.
sea_expect_sigbus() {
	grep -q "SEA-ACCESS $1 $2: SIGBUS si_code 3 " out.txt ||
		{ echo "access $1 ($2) did not die of SIGBUS BUS_OBJERR: $(grep "SEA-ACCESS $1 " out.txt)"; exit 1; }
}

# sea_expect_record WANT...: events.json is one record holding every WANT.
sea_expect_record() {
	[ -f events.json ] || { echo "no --ras-events file"; exit 1; }
	[ "$(ev_lines | wc -l)" = 1 ] ||
		{ echo "want one event record in events.json, got $(ev_lines | wc -l)"; exit 1; }
	for want in "\"gpa\":\"$gpa\"" '"source":"sea_exit"' '"el":0' '"set":"uer"' "$@"; do
		ev_lines | grep -qF "$want" || { echo "the event record lacks $want"; exit 1; }
	done
}

# ev_lines: the event records of events.json (poison_state records left out).
ev_lines() { grep -v '"kind":' events.json 2>/dev/null; }
