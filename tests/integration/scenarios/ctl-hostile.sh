# timeout: 300
# Untrusted clients of the control socket (docs/api.md) against a running
# guest (guest-images/guest/echo.sh): malformed JSON and unknown requests on
# one connection (an error reply each, the connection goes on), a line over
# the limit (an error reply, then closed), a client that sends thousands of
# requests and never reads a reply (dropped), 300 connections at once (at
# most 64 served, the rest refused), a subscriber that hangs up mid-stream. Then the
# guest still echoes, a well-behaved client still gets answers, inject-poison
# with --allow-inject=einj says why it cannot (no EINJ here), --api-socket
# refuses a path that is not a stale socket, and a 'stop' ends the run
# (status 0) with the socket removed.
. /scenarios/lib/guest.sh
rm -f out.txt err.txt abuse.txt notsock s.sock pid.txt stop.txt status.txt
sock=$PWD/s.sock

fail() { echo "$*"; exit 1; }
waitfor() { # PATTERN FILE TENTHS
	i=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		[ $i -ge "$3" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# A path that exists and is not a socket: refused in one line, status 2.
touch notsock
seavmm run -k /guest/Image --api-socket notsock >/dev/null 2>refuse.txt
rc=$?
cat refuse.txt
[ "$rc" = 2 ] || fail "--api-socket on a regular file exited $rc, want 2"
grep -q "seavmm run: --api-socket notsock: exists and is not a socket; remove it or choose another path" refuse.txt ||
	fail "no clear refusal for a regular file at --api-socket"

feeder() {
	waitfor GUEST-ECHO-READY out.txt 1200 || { echo "no GUEST-ECHO-READY" >abuse.txt; return; }
	{
		api_abuse "$sock" malformed
		api_abuse "$sock" longline
		api_abuse "$sock" noread
		api_abuse "$sock" midstream
		api_abuse "$sock" many 300
		echo "--- status after the abuse:"
		seavmm ctl --json "$sock" status
		echo "--- inject-poison uer:"
		seavmm ctl --json "$sock" inject-poison 0x44000000 uer
		echo "--- inject-poison ueo:"
		seavmm ctl --json "$sock" inject-poison 0x44000000 ueo
		echo "--- inject-poison outside RAM:"
		seavmm ctl --json "$sock" inject-poison 0x1000
	} >abuse.txt 2>&1
	echo "still here"
	waitfor "GUEST-ECHO: still here" out.txt 300 || echo "NO-ECHO" >>abuse.txt
	seavmm ctl "$sock" status >status.txt 2>&1
	seavmm ctl "$sock" stop >stop.txt 2>&1
	sleep 2
}
feeder | seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --mem 128M --reboot=exit \
	--api-socket "$sock" --allow-inject=einj -p "console=ttyS0 quiet panic=-1 seavmm.test=echo" \
	>out.txt 2>err.txt
rc=$?
echo "--- abuse:"
cat abuse.txt
echo "--- status:"
cat status.txt
echo "--- seavmm stderr:"
cat err.txt
echo "--- guest console (last lines):"
tail -n 15 out.txt | tr -d '\r'
echo "--- stop: $(cat stop.txt)"

grep -q '^malformed ok: 9 error replies, then status answered' abuse.txt || fail "malformed JSON was not answered line by line"
grep -q '^longline ok' abuse.txt || fail "an over-long line was not refused and closed"
grep -q '^noread ok: dropped' abuse.txt || fail "a client that never reads was not dropped"
grep -q '^midstream ok' abuse.txt || fail "subscribe-and-hang-up failed"
# At most 64 at once; the earlier abusers' connections may still be closing.
awk '/^many ok: 300 connections/ {ok = $5 <= 64 && $5 >= 48 && $5 + $7 == 300} END {exit !ok}' abuse.txt ||
	fail "300 connections: want at most 64 (and at least 48) served, the rest refused: $(grep '^many' abuse.txt)"
grep -q '"ok":true,"request":"status","state":"running"' abuse.txt || fail "status after the abuse does not say running"
grep -q '"ok":false,"request":"inject-poison","gpa":"0x44000000","type":"uer","mechanism":"einj","error":"no ACPI EINJ on this host' abuse.txt ||
	fail "inject-poison uer through einj did not say there is no EINJ"
grep -q '"type":"ueo","mechanism":"einj","error":"EINJ has no memory error of type ueo' abuse.txt ||
	fail "inject-poison ueo through einj was not refused as inexpressible"
grep -q '"error":"gpa 0x1000 is not guest RAM"' abuse.txt || fail "inject-poison outside RAM was not refused"
grep -q NO-ECHO abuse.txt && fail "the guest did not echo after the abuse"
grep -q '^state: *running' status.txt || fail "seavmm ctl status (readable) does not say running"
[ "$rc" = 0 ] || fail "seavmm exited with status $rc after 'stop', want 0"
grep -q 'stopped the guest, as a control-socket request asked' err.txt || fail "no stop message on stderr"
[ ! -e "$sock" ] || fail "the socket was not removed at exit"
echo "ctl-hostile ok"
