# Shared by the scenarios that boot a guest whose /init runs one of
# guest-images/guest/*.sh: what every such run must show to pass.

# guest_last_words: why a guest that printed no result stopped, as far as its
# console (out.txt) tells: its kernel's panic or out-of-memory line, if any.
guest_last_words() {
	w=$(grep -E -m1 'Kernel panic|Out of memory|Unable to handle|Internal error' out.txt | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //')
	echo "${w:-the guest printed no panic; did it reach its init?}"
}

# expect_guest_ok RC: seavmm (its output in out.txt) exited with RC; the run
# passes only if that is 0, the guest's own checks printed "GUEST-RESULT: ok",
# and the guest powered off. Otherwise print the reason and fail the scenario.
expect_guest_ok() {
	[ "$1" = 0 ] || { echo "seavmm exited with status $1, want 0"; exit 1; }
	result=$(grep 'GUEST-RESULT' out.txt | tr -d '\r')
	[ "$result" = "GUEST-RESULT: ok" ] ||
		{ echo "guest checks failed: ${result:-no result ($(guest_last_words))}"; exit 1; }
	grep -q 'reboot: Power down' out.txt || { echo "the guest did not power off"; exit 1; }
}

# guest_show [LINE]: the run's console (out.txt, without CRs), LINE if given,
# then seavmm's stderr (err.txt), for the scenario's log.
guest_show() {
	tr -d '\r' <out.txt
	[ $# = 0 ] || echo "$1"
	echo "--- seavmm stderr ---"
	cat err.txt
	echo "---"
}
