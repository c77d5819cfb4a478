# Shared by the scenarios that boot a guest whose /init runs one of
# guest-images/guest/*.sh: what every such run must show to pass.

# expect_guest_ok RC: seavmm (its output in out.txt) exited with RC; the run
# passes only if that is 0, the guest's own checks printed "GUEST-RESULT: ok",
# and the guest powered off. Otherwise print the reason and fail the scenario.
expect_guest_ok() {
	[ "$1" = 0 ] || { echo "seavmm exited with status $1, want 0"; exit 1; }
	result=$(grep 'GUEST-RESULT' out.txt | tr -d '\r')
	[ "$result" = "GUEST-RESULT: ok" ] ||
		{ echo "guest checks failed: ${result:-no result (did the guest reach init?)}"; exit 1; }
	grep -q 'reboot: Power down' out.txt || { echo "the guest did not power off"; exit 1; }
}
