# virtio-net, guest side: eth0 on the host's tap (the host is 10.0.2.1):
# a ping, then 2 MiB by TCP each way with netxfer, printing checksums for
# the host to compare.
bad=""
md5() { md5sum | cut -d' ' -f1; }
[ -e /sys/class/net/eth0 ] || { echo "GUEST-RESULT: no eth0 ($(ls /sys/class/net))"; exit 0; }
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up || bad="$bad ip"
echo "guest: eth0 $(cat /sys/class/net/eth0/address), carrier $(cat /sys/class/net/eth0/carrier)"
if ping -c 3 -W 10 10.0.2.1 >/tmp/ping.txt 2>&1; then
	echo "guest: $(grep 'packets transmitted' /tmp/ping.txt)"
else
	bad="$bad ping"
	sed 's/^/guest: /' /tmp/ping.txt
fi
dd if=/dev/urandom of=/tmp/g2h.bin bs=65536 count=32 2>/dev/null
echo "GUEST-SENT md5=$(md5 </tmp/g2h.bin)"
out=$(netxfer connect-send 10.0.2.1 5000 /tmp/g2h.bin) || bad="$bad send"
echo "guest: send: $out"
out=$(netxfer connect-recv 10.0.2.1 5001 /tmp/h2g.bin) || bad="$bad receive"
echo "guest: receive: $out"
echo "GUEST-RECV md5=$(md5 </tmp/h2g.bin)"
echo "GUEST-RESULT: ${bad:-ok}"
