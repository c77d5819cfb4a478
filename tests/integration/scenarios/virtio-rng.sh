# timeout: 120
# virtio-rng (--rng): the guest's hw_random core picks the virtio device
# (/sys/class/misc/hw_random/rng_current names it) and reads entropy from it
# (guest-images/guest/virtio-rng.sh); seavmm says nothing on stderr.
. /scenarios/lib/guest.sh
timeout 100 seavmm run --reboot=exit -k /guest/Image -i /guest/initramfs.cpio.gz -m 256M --rng \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=virtio-rng" </dev/null >out.txt 2>err.txt
rc=$?
tr -d '\r' <out.txt
echo "--- seavmm stderr ---"
cat err.txt
echo "---"
expect_guest_ok "$rc"
[ ! -s err.txt ] || { echo "seavmm wrote to stderr: $(head -n1 err.txt)"; exit 1; }
echo "virtio-rng ok"
