# bench-virtio, guest side: blkbench on vda (the host's image file), three
# runs of each measure; the host takes the BLKBENCH lines.
for i in 1 2 3; do
	blkbench seq-write /dev/vda 32
	blkbench seq-read /dev/vda 32
	blkbench rand-read /dev/vda 5
done
echo "GUEST-RESULT: ok"
