# timeout: 240
# virtio-net (--net tap=NAME): the guest (guest-images/guest/virtio-net.sh)
# reaches the emulated host over the tap seavmm creates: a ping, and 2 MiB by
# TCP each way (netxfer), compared by checksum on both sides.
. /scenarios/lib/guest.sh
rm -f out.txt err.txt g2h.bin h2g.bin recv.txt send.txt
md5() { md5sum | cut -d' ' -f1; }
[ -e /dev/net/tun ] || insmod /lib/modules/tun.ko 2>/dev/null
[ -e /dev/net/tun ] || { echo "no /dev/net/tun in the host (tun.ko did not load)"; exit 1; }
dd if=/dev/urandom of=h2g.bin bs=65536 count=32 2>/dev/null
netxfer listen-recv 5000 g2h.bin >recv.txt 2>&1 &
recv_pid=$!
netxfer listen-send 5001 h2g.bin >send.txt 2>&1 &
send_pid=$!
# The tap exists once seavmm has opened it: then it gets the host's address.
(
	i=0
	while [ ! -e /sys/class/net/seavmm0 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ip addr add 10.0.2.1/24 dev seavmm0 && ip link set seavmm0 up
) &
timeout 220 seavmm run --reboot=exit -k /guest/Image -i /guest/virtio.cpio.gz -m 256M --net tap=seavmm0 \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=virtio-net" </dev/null >out.txt 2>err.txt
rc=$?
kill $recv_pid $send_pid 2>/dev/null
wait $recv_pid $send_pid 2>/dev/null
tr -d '\r' <out.txt
echo "--- host: $(tr '\n' ' ' <recv.txt) / $(tr '\n' ' ' <send.txt)"
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
expect_guest_ok "$rc"
grep -q "GUEST-SENT md5=$(md5 <g2h.bin)" out.txt || { echo "the host did not receive the guest's 2 MiB intact"; exit 1; }
grep -q "GUEST-RECV md5=$(md5 <h2g.bin)" out.txt || { echo "the guest did not receive the host's 2 MiB intact"; exit 1; }
[ ! -s err.txt ] || { echo "seavmm wrote to stderr: $(head -n1 err.txt)"; exit 1; }
echo "virtio-net ok"
