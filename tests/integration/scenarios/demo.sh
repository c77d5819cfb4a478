# timeout: 120
# make run: what seavmm sees in this host. (Extended to boot a demo guest
# once 'seavmm run' exists.)
echo "--- seavmm probe in the emulated arm64 host ($(uname -r)) ---"
seavmm probe
