#!/usr/bin/env bash
# Builds the emulated host's initramfs: busybox, seavmm and the host-side test
# programs, the nested guest's kernel and initramfs, and the scenarios.
# Usage: build-host-initramfs.sh OUT.cpio.gz GUEST_KERNEL GUEST_INITRD
# With HOST_QEMU_DIR set, that directory (bin/, lib/) goes to /opt/qemu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
out=$1 kernel=$2 ginitrd=$3
busybox=$(bash "$here/fetch-debian.sh" busybox)

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes it 0700; it becomes the host's /, which ordinary users must traverse.
chmod 0755 "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,guest,scenarios}
cp "$busybox" "$root/bin/busybox"
# The busybox binary is arm64 and cannot list its applets here: name them.
for a in sh ash mount umount mkdir cat echo sed grep awk cut tr ls cp mv rm ln \
	sleep timeout poweroff reboot dmesg sync uname head tail wc sort uniq find \
	xargs seq od hexdump dd test expr printf kill ps pidof chmod stat env date \
	true false basename dirname md5sum sha256sum readlink nproc free tee mktemp \
	devmem ip hostname id killall setsid usleep time tac rev cmp diff gunzip gzip zcat \
	cpio tty stty watch which insmod lsmod; do
	ln -sf busybox "$root/bin/$a"
done
install -m 0755 "$top/tests/integration/host-init" "$root/init"
install -m 0755 "$top/build/aarch64/seavmm" "$root/bin/seavmm"
for p in "$top"/build/aarch64/hostprogs/*; do
	[ -f "$p" ] && [ -x "$p" ] && install -m 0755 "$p" "$root/bin/"
done
cp "$top"/tests/integration/scenarios/*.sh "$root/scenarios/" 2>/dev/null || true
[ -d "$top/tests/integration/scenarios/lib" ] && cp -r "$top/tests/integration/scenarios/lib" "$root/scenarios/"
# Kernel modules the scenarios load: hwpoison_inject (CONFIG_HWPOISON_INJECT=m
# in Debian) drives memory_failure() for sigbus-user-inject. The image sits in
# the modules directory of the kernel package; busybox insmod wants plain .ko.
moddir=$(dirname "$kernel")
mkdir -p "$root/lib/modules"
for m in kernel/mm/hwpoison-inject.ko; do
	if [ -f "$moddir/$m.xz" ]; then
		xz -dc "$moddir/$m.xz" >"$root/lib/modules/$(basename "$m")"
	elif [ -f "$moddir/$m" ]; then
		cp "$moddir/$m" "$root/lib/modules/"
	fi
done
# tun (a module in Debian) for the virtio-net scenario's tap device.
modules_install "$moddir" "$root/lib/modules" tun
# make bench's side-by-side benchmark: Debian's arm64 QEMU (fetch-debian.sh
# qemu-arm64), run through its own loader with its libraries.
if [ -n "${HOST_QEMU_DIR:-}" ]; then
	mkdir -p "$root/opt/qemu"
	cp -r "$HOST_QEMU_DIR"/. "$root/opt/qemu/"
fi
cp "$kernel" "$root/guest/Image"
cp "$ginitrd" "$root/guest/initramfs.cpio.gz"
# Extra guest initramfs variants built by guest-images (name.cpio.gz).
for v in "$(dirname "$ginitrd")"/*.cpio.gz; do
	[ "$v" = "$ginitrd" ] || cp "$v" "$root/guest/"
done
# Stand-in guest kernels (guest-images/stub/stub.S), when built.
for v in "$(dirname "$ginitrd")"/stub-*.img; do
	[ -f "$v" ] && cp "$v" "$root/guest/"
done
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
