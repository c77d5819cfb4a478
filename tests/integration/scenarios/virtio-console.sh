# timeout: 200
# virtio-console (--console virtio, --virtio-port): the guest's console is
# hvc0 on the virtio console, both ways (its output is seavmm's stdout, a
# line piped to seavmm's stdin reaches it), and a named port,
# org.seavmm.agent.0, carries 64 KiB each way between the guest
# (guest-images/guest/virtio-console.sh) and a client of the port's unix
# socket on the host (sockpipe), checked with checksums.
. /scenarios/lib/guest.sh
rm -f out.txt err.txt port.txt h2g.bin g2h.bin
dd if=/dev/urandom of=h2g.bin bs=1024 count=64 2>/dev/null
sock=$PWD/agent.sock
# waitfor PATTERN: until out.txt shows it (60 s at most, less if seavmm ends).
waitfor() {
	i=0
	while ! grep -q "$1" out.txt 2>/dev/null; do
		[ $i -ge 600 ] && return 1
		[ $i -ge 50 ] && [ -z "$(pidof seavmm)" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
feeder() {
	waitfor GUEST-WAITING-INPUT && echo console-line-42
	waitfor GUEST-RESULT
}
sockpipe "$sock" h2g.bin 65536 g2h.bin >port.txt 2>&1 &
pipe_pid=$!
feeder | timeout 170 seavmm run --reboot=exit -k /guest/Image -i /guest/initramfs.cpio.gz -m 256M --console virtio \
	--virtio-port "org.seavmm.agent.0,socket=$sock" \
	-p "console=hvc0 quiet panic=-1 seavmm.test=virtio-console" >out.txt 2>err.txt
rc=$?
wait $pipe_pid
prc=$?
tr -d '\r' <out.txt
echo "--- port client: $(tr '\n' ' ' <port.txt)"
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
# The kernel's "reboot: Power down" goes nowhere: its console, hvc0, is gone by
# then. Exit status 0 under --reboot=exit with nothing on stderr (a reset
# would say so there) is the power-off.
[ "$rc" = 0 ] || { echo "seavmm exited with status $rc, want 0"; exit 1; }
grep -q 'GUEST-RESULT: ok' out.txt ||
	{ echo "guest checks failed: $(grep GUEST-RESULT out.txt | tr -d '\r')"; exit 1; }
[ "$prc" = 0 ] || { echo "the port's host side failed: $(tail -n1 port.txt)"; exit 1; }
want=$(md5sum <h2g.bin | cut -d' ' -f1)
grep -q "GUEST-RECV md5=$want" out.txt || { echo "the guest did not read the host's 64 KiB intact"; exit 1; }
got=$(md5sum <g2h.bin | cut -d' ' -f1)
grep -q "GUEST-SENT md5=$got" out.txt || { echo "the host did not read the guest's 64 KiB intact"; exit 1; }
[ ! -e "$sock" ] || { echo "seavmm left its socket $sock behind"; exit 1; }
[ ! -s err.txt ] || { echo "seavmm wrote to stderr: $(head -n1 err.txt)"; exit 1; }
echo "virtio-console ok"
