#!/usr/bin/env bash
# Builds the nested guest's initramfs: busybox, guest-images/guest-init as
# /init, the guest test scripts (guest-images/guest/*.sh as /tests/), the
# guest programs built from guest-images/progs/*.c, seavmm-agent (agent/),
# and the kernel modules seavmm's virtio devices need (docs/virtio.md),
# which /init loads. Beside it, virtio.cpio.gz: the same plus the virtio test
# programs (guest-images/progs/virtio/*.c), for the virtio-* scenarios only,
# since every program costs each guest its size in RAM.
# Usage: build-guest-initramfs.sh OUT.cpio.gz [MODULES_DIR]
# (MODULES_DIR: the guest kernel's, as fetch-debian.sh kernel prints it.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
out=$1
moddir=${2:-}
if [ -z "$moddir" ]; then
	eval "$(bash "$here/fetch-debian.sh" kernel)"
	moddir=$MODULES_DIR
fi
busybox=$(bash "$here/fetch-debian.sh" busybox)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,tests,etc}
cp "$busybox" "$root/bin/busybox"
for a in sh mount mkdir cat echo sed grep awk cut tr ls sleep poweroff reboot sync \
	uname head tail wc date dmesg test printf kill ps nproc free od dd time \
	usleep seq expr true false rm cp read timeout env insmod ip ping nc md5sum \
	sha256sum hexdump stat; do
	ln -sf busybox "$root/bin/$a"
done
install -m 0755 "$here/guest-init" "$root/init"
cp "$here"/guest/*.sh "$root/tests/"
# progs SUBDIR: the programs of guest-images/progs/SUBDIR*.c, by their sources
# (not whatever an older build left in build/).
progs() {
	local src p
	for src in "$here"/progs/$1*.c; do
		p=$top/build/aarch64/guestprogs/$1$(basename "$src" .c)
		[ -f "$p" ] && [ -x "$p" ] && install -m 0755 "$p" "$root/bin/"
	done
	return 0
}
progs ""
install -m 0755 "$top/build/aarch64/seavmm-agent" "$root/bin/seavmm-agent"
# The cross toolchain's C library, for the dynamic test programs.
mkdir -p "$root/lib"
for l in ld-linux-aarch64.so.1 libc.so.6; do
	cp -L "/usr/aarch64-linux-gnu/lib/$l" "$root/lib/$l"
done
# Debian builds the virtio-mmio transport and these drivers as modules
# (virtio_console is built in); /init loads them from /lib/modules/load.list.
modules_install "$moddir" "$root/lib/modules" virtio_mmio virtio_blk virtio_net virtio_rng
archive() {
	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$1.tmp"
	mv "$1.tmp" "$1"
}
archive "$out"
progs virtio/
archive "$(dirname "$out")/virtio.cpio.gz"
