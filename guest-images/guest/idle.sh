# console-tty, guest side: say the guest is up, then stay up for a minute so
# the host can type the console escape (Ctrl-a x) or signal seavmm meanwhile.
echo "GUEST-IDLE-READY"
sleep 60
echo "GUEST-IDLE-TIMEOUT"
