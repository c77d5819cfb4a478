# timeout: 120
# make run: what seavmm sees in this host, then a demo guest booted with
# 'seavmm run' (Debian's arm64 kernel, the busybox initramfs from
# guest-images/) that prints a banner and powers off.
echo "--- seavmm probe in the emulated arm64 host ($(uname -r)) ---"
seavmm probe
echo
echo "--- seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M ---"
start=$(cut -d' ' -f1 /proc/uptime)
seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz -c 2 -m 256M \
	-p "console=ttyS0 quiet panic=-1 seavmm.test=banner"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
echo "--- seavmm exited with status $rc after $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s ---"
exit $rc
