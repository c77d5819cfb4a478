# ctl-hostile, guest side: proves the guest still runs while the host abuses
# seavmm's control socket. Echoes every console line back as
# "GUEST-ECHO: LINE" until "quit" (or 240 s of silence), then reports; the
# host usually stops it first.
bad=""
. /tests/common.sh
echo "GUEST-ECHO-READY"
n=0
while read -t 240 line; do
	[ "$line" = quit ] && break
	echo "GUEST-ECHO: $line"
	n=$((n + 1))
done
[ "$line" = quit ] || bad="$bad no-quit"
[ "$n" -ge 1 ] || bad="$bad no-echo"
check_sleep
echo "GUEST-RESULT: ${bad:-ok}"
