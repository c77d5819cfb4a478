# virtio-console, guest side (console=hvc0): this script's own output goes
# to hvc0, the virtio console, since /init moved there. It checks that hvc0
# is the kernel's console, reads a line of console input, finds the port
# named org.seavmm.agent.0 under /sys/class/virtio-ports, reads 64 KiB the
# host sends through it and writes 64 KiB back, printing both checksums.
bad=""
active=$(cat /sys/class/tty/console/active 2>/dev/null)
echo "guest: console active: $active"
case " $active " in
*" hvc0 "*) ;;
*) bad="$bad console=$active" ;;
esac
dev=""
for p in /sys/class/virtio-ports/*; do
	[ "$(cat "$p/name" 2>/dev/null)" = org.seavmm.agent.0 ] && dev=/dev/${p##*/}
done
echo "guest: port org.seavmm.agent.0 is ${dev:-missing}"
if [ -z "$dev" ] || [ ! -e "$dev" ]; then
	echo "GUEST-RESULT: no port named org.seavmm.agent.0 (/sys/class/virtio-ports: $(ls /sys/class/virtio-ports 2>/dev/null))"
	exit 0
fi
echo "GUEST-WAITING-INPUT"
if read -t 60 line; then
	echo "guest: console input '$line'"
	[ "$line" = "console-line-42" ] || bad="$bad input=$line"
else
	bad="$bad no-console-input"
fi
got=$(timeout 60 head -c 65536 "$dev" | md5sum | cut -d' ' -f1)
echo "GUEST-RECV md5=$got"
dd if=/dev/urandom of=/tmp/g2h.bin bs=1024 count=64 2>/dev/null
echo "GUEST-SENT md5=$(md5sum </tmp/g2h.bin | cut -d' ' -f1)"
timeout 60 cat /tmp/g2h.bin >"$dev" || bad="$bad write-port"
echo "GUEST-RESULT: ${bad:-ok}"
