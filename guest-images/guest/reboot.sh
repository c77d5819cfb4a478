# boot-reboot, guest side: asks the console what to do, then reboots or
# powers off; the scenario answers "reboot" the first time.
echo "GUEST-AWAITING-COMMAND"
read -t 60 cmd
echo "GUEST-COMMAND: $cmd"
case "$cmd" in
reboot) reboot -f ;;
esac
