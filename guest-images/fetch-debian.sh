#!/usr/bin/env bash
# Fetches the arm64 pieces from Debian's archive into the cache, through a
# private apt tree so signatures are checked and the machine's apt setup is
# left alone. Usage: fetch-debian.sh sysroot|kernel|busybox|all
#   sysroot  libfdt-dev:arm64 and libjson-c-dev:arm64 (bookworm) for the
#            cross build, and sid's linux-libc-dev headers for the
#            kvm_compat.h layout test
#   kernel   the newest sid cloud-arm64 kernel and its modules; prints
#            "KERNEL_VERSION=... KERNEL_IMAGE=... MODULES_DIR=..."
#   busybox  busybox-static:arm64; prints its path
#   qemu-arm64  Debian sid's arm64 qemu-system-aarch64 (qemu-system-arm), its
#            loader and the shared libraries it needs, for make bench's
#            side-by-side benchmark; prints the directory holding bin/ and lib/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

debs=$SEAVMM_CACHE/debs

fetch_sysroot() {
	local root=$SEAVMM_CACHE/sysroot-arm64
	if [ ! -f "$root/.done" ]; then
		apt_private_init
		local fdt hdr
		fdt=$(apt_fetch_deb "libfdt-dev=$LIBFDT_VERSION" "$debs")
		hdr=$(apt_fetch_deb "linux-libc-dev/sid" "$debs/sid-headers")
		rm -rf "$root" && mkdir -p "$root"
		dpkg-deb -x "$fdt" "$root"
		mkdir -p "$root/sid-headers"
		dpkg-deb -x "$hdr" "$root/sid-headers"
		[ -f "$root/usr/lib/aarch64-linux-gnu/libfdt.a" ] || fail "libfdt.a missing from $fdt"
		touch "$root/.done"
	fi
	# Added to a sysroot that may already be in use (other checkouts share
	# the cache), so unpacked beside libfdt rather than by starting afresh.
	if [ ! -f "$root/.json-c-$JSONC_VERSION" ]; then
		apt_private_init
		local jc
		jc=$(apt_fetch_deb "libjson-c-dev=$JSONC_VERSION" "$debs")
		dpkg-deb -x "$jc" "$root"
		[ -f "$root/usr/lib/aarch64-linux-gnu/libjson-c.a" ] || fail "libjson-c.a missing from $jc"
		touch "$root/.json-c-$JSONC_VERSION"
	fi
}

fetch_kernel() {
	apt_private_init
	local pkg ver dir
	# sid drops old kernels, so resolve the newest one each time.
	pkg=$(apt_private apt-cache pkgnames linux-binary- 2>/dev/null |
		grep -E '^linux-binary-[0-9].*-cloud-arm64$' | sort -V | tail -n1)
	[ -n "$pkg" ] || fail "no linux-binary-*-cloud-arm64 package in Debian sid"
	ver=${pkg#linux-binary-}
	# KVM_CAP_ARM_SEA_TO_USER arrived in Linux 6.19.
	local mm=${ver%%[-+]*}
	printf '6.19\n%s\n' "${mm%.*}" | sort -V -C ||
		fail "Debian sid's newest cloud-arm64 kernel is $ver, older than 6.19: it lacks KVM_CAP_ARM_SEA_TO_USER, so the SEA tests cannot run"
	dir=$SEAVMM_CACHE/kernel/$ver
	if [ ! -f "$dir/.done" ]; then
		log "setup: fetching Debian sid kernel $ver"
		local img mod
		img=$(apt_fetch_deb "$pkg" "$debs/kernel-$ver")
		mod=$(apt_fetch_deb "linux-modules-$ver" "$debs/kernel-$ver")
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg-deb -x "$img" "$dir/root"
		dpkg-deb -x "$mod" "$dir/root"
		touch "$dir/.done"
	fi
	local image=$dir/root/usr/lib/modules/$ver/vmlinuz
	[ -f "$image" ] || image=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -n1)
	[ -f "$image" ] || fail "no kernel image in $dir"
	file -b "$image" | grep -q 'ARM64 boot executable Image' ||
		fail "$image is not an uncompressed arm64 Image ($(file -b "$image"))"
	echo "KERNEL_VERSION=$ver KERNEL_IMAGE=$image MODULES_DIR=$dir/root/usr/lib/modules/$ver"
}

fetch_busybox() {
	local dir=$SEAVMM_CACHE/busybox
	if [ ! -f "$dir/.done" ]; then
		apt_private_init
		local deb
		deb=$(apt_fetch_deb "busybox-static=$BUSYBOX_VERSION" "$debs")
		rm -rf "$dir" && mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir/root"
		touch "$dir/.done"
	fi
	echo "$dir/root/bin/busybox"
}

# The shared libraries file needs, found (recursively) under the unpacked
# packages in stage, copied into lib.
qemu_copy_needed() {
	local file=$1 stage=$2 lib=$3 n path
	for n in $(aarch64-linux-gnu-readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$lib/$n" ] && continue
		path=$(find "$stage/lib" "$stage/usr/lib" -name "$n" -print -quit 2>/dev/null || true)
		[ -n "$path" ] || fail "qemu-system-aarch64 needs $n, which no package of its dependencies ships"
		cp -L "$path" "$lib/$n"
		qemu_copy_needed "$lib/$n" "$stage" "$lib"
	done
}

fetch_qemu_arm64() {
	apt_private_init
	local ver dir pkgs
	# sid moves on: resolve the version each time, keep each one fetched.
	ver=$(apt_private apt-cache show qemu-system-arm/sid 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || fail "no qemu-system-arm package for arm64 in Debian sid"
	dir=$SEAVMM_CACHE/qemu-arm64/${ver#*:}
	if [ ! -f "$dir/.done" ]; then
		log "setup: fetching Debian sid's arm64 qemu-system-aarch64 $ver and the libraries it needs"
		# Everything it depends on, as apt resolves it on an empty arm64 system.
		pkgs=$(apt_private apt-get -s install --no-install-recommends "qemu-system-arm=$ver" 2>/dev/null |
			awk '/^Inst / {v = $3; gsub(/[()]/, "", v); print $2 "=" v}')
		[ -n "$pkgs" ] || fail "apt could not resolve qemu-system-arm=$ver's dependencies"
		local d=$debs/qemu-arm64-${ver#*:}
		mkdir -p "$d"
		(cd "$d" && apt_private apt-get download $pkgs >"$d/.log" 2>&1) ||
			fail "could not download qemu-system-arm's packages from Debian (see $d/.log)"
		rm -rf "$dir" && mkdir -p "$dir/stage" "$dir/root/bin" "$dir/root/lib"
		for deb in "$d"/*.deb; do dpkg-deb -x "$deb" "$dir/stage"; done
		cp "$dir/stage/usr/bin/qemu-system-aarch64" "$dir/root/bin/"
		cp -L "$(find "$dir/stage" -name ld-linux-aarch64.so.1 -print -quit)" "$dir/root/lib/"
		qemu_copy_needed "$dir/root/bin/qemu-system-aarch64" "$dir/stage" "$dir/root/lib"
		rm -rf "$dir/stage"
		echo "$ver" >"$dir/root/VERSION"
		touch "$dir/.done"
	fi
	echo "$dir/root"
}

case ${1:-all} in
sysroot) fetch_sysroot ;;
kernel) fetch_kernel ;;
busybox) fetch_busybox ;;
qemu-arm64) fetch_qemu_arm64 ;;
all) fetch_sysroot; fetch_kernel; fetch_busybox ;;
*) fail "usage: fetch-debian.sh sysroot|kernel|busybox|qemu-arm64|all" ;;
esac
