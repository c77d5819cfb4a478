# Shared by the scenarios of the guest agent (seavmm-agent, --agent): the
# guest runs guest-images/guest/NAME.sh with seavmm-agent in it, a victim
# page is poisoned as in lib/sea.sh.
. /scenarios/lib/sea.sh
rm -f ledger.txt

# agent_run TEST [FLAG...]: the guest of guest-images/guest/TEST.sh under
# seavmm run --agent (256M, --reboot=exit, records to events.json, the
# ledger in ledger.txt) with FLAGs added; console input from standard input,
# output in out.txt and err.txt. AGENT_PANIC replaces the guest's panic=-1.
# (Not less memory: Debian's kernel reserves 64 MiB for CMA, and a 128M guest
# ran out of memory probing the virtio devices.)
agent_run() {
	t=$1
	shift
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 256M --reboot=exit --agent \
		--ras-events events.json --ras-ledger ledger.txt \
		-p "console=ttyS0 quiet ${AGENT_PANIC:-panic=-1} seavmm.test=$t" "$@" >out.txt 2>err.txt
}

# agent_connected: waits until seavmm says the guest agent connected.
agent_connected() { waitfor_in err.txt 'agent: seavmm-agent/[^ ]* connected (protocol 1)' 1 900; }

# agent_expect_offlined: seavmm told the agent about $gpa, the agent offlined
# it (its own line and the guest kernel's), and stderr, events.json and the
# ledger say guest_offlined with errno 0.
agent_expect_offlined() {
	grep -q "agent: told the guest agent gpa $gpa is poisoned (seq [0-9]*)" err.txt ||
		{ echo "seavmm did not tell the agent about $gpa"; exit 1; }
	grep -q "seavmm-agent: page $gpa: offlined" out.txt ||
		{ echo "the agent did not offline $gpa through hard_offline_page"; exit 1; }
	grep -q "poison: gpa $gpa now guest_offlined (by guest_agent)" err.txt ||
		{ echo "no guest_offlined line for $gpa on stderr"; exit 1; }
	rec=$(grep '"kind":"poison_state"' events.json | grep "\"gpa\":\"$gpa\"" | grep '"poison":"guest_offlined"')
	case "$rec" in
	*'"by":"guest_agent","guest_errno":0'*) ;;
	*) echo "events.json has no guest_offlined record for $gpa with errno 0: ${rec:-none}"; exit 1 ;;
	esac
	grep -q '"kind":"agent","event":"connected","version":1,"agent":"seavmm-agent/' events.json ||
		{ echo "events.json has no record of the agent connecting"; exit 1; }
	led=$(grep " gpa=$gpa " ledger.txt | tail -n1)
	pz=$(echo "$led" | sed -n 's/.* poison=\(0x[0-9a-f]*\) gerr=\([0-9]*\) .*/\1 \2/p')
	set -- $pz
	[ -n "$1" ] && [ $(($1 & 7)) = 2 ] && [ $(($1 & 0x20)) = 32 ] && [ "$2" = 0 ] ||
		{ echo "the ledger's last line for $gpa is not guest_offlined (told, errno 0): ${led:-none}"; exit 1; }
}

# agent_show: everything the run left, for the scenario's log.
agent_show() {
	sea_show
	echo "--- ledger.txt:"
	cat ledger.txt 2>/dev/null
}
