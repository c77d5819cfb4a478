# bench-boot, guest side: say that init was reached, then stay up briefly so
# the host can measure seavmm while the guest runs.
echo "GUEST-INIT-REACHED"
sleep 2
