# timeout: 180
# A 2-vCPU, 256 MiB guest boots to its init, which checks its CPUs, memory,
# timer and console input (guest-images/guest/smp.sh), then powers off.
# Console input is piped in once the guest says it is ready.
. /scenarios/lib/guest.sh
answer() { # answer MARKER TEXT: when out.txt shows MARKER, send TEXT
	i=0
	while ! grep -q "$1" out.txt 2>/dev/null && [ ! -s err.txt ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$2"
}
answer GUEST-READY-FOR-INPUT seavmm-input-token |
	seavmm run -k /guest/Image -i /guest/initramfs.cpio.gz --cpus 2 --mem 256M --reboot=exit \
		-p "console=ttyS0 quiet panic=-1 seavmm.test=smp seavmm.cpus=2 seavmm.mem_mb=256" >out.txt 2>err.txt
rc=$?
cat out.txt err.txt
expect_guest_ok "$rc"
echo "boot-smp ok"
