#!/usr/bin/env bash
# Builds the patched host kernel (tests/kernel/README.md): Debian sid's
# linux-source for the same upstream version as the stock cloud-arm64 kernel
# the tests boot, with tests/kernel/patches/*.patch applied, configured from
# Debian's cloud-arm64 configuration (linux-config) plus host.config, and
# cross-compiled with gcc-aarch64-linux-gnu. Both packages come through the
# private apt tree (guest-images/lib.sh), signatures checked.
#
# Cached in $SEAVMM_CACHE/kernel-patched/VERSION-PATCHHASH-CONFIGHASH, so a
# changed patch, fragment or compiler builds afresh and an unchanged one never
# builds twice. Progress lines go to stderr; the make output to build.log
# beside the image. On success prints
#   PATCHED_KERNEL_VERSION=... PATCHED_KERNEL_IMAGE=...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/guest-images/lib.sh"

cross=${CROSS:-aarch64-linux-gnu-}
command -v "${cross}gcc" >/dev/null || fail "no ${cross}gcc: run 'make deps' as root"
for t in bc flex bison; do
	command -v "$t" >/dev/null || fail "no $t (needed to build the kernel): run 'make deps' as root"
done

# The stock kernel's upstream version (fetch-debian.sh resolves the newest
# sid cloud-arm64 kernel); the source must be the same release.
kinfo=$(bash "$top/guest-images/fetch-debian.sh" kernel) || fail "cannot resolve the stock kernel"
stock=$(sed -n 's/.*KERNEL_VERSION=\([^ ]*\).*/\1/p' <<<"$kinfo")
upstream=${stock%%[-+]*} # 7.2.13
mm=${upstream%.*}	 # 7.2
apt_private_init
srcver=$(apt_private apt-cache madison "linux-source-$mm" 2>/dev/null |
	awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -E "^${upstream//./\\.}-" | sort -V | tail -n1 || true)
[ -n "$srcver" ] || fail "Debian sid has no linux-source-$mm for $upstream (the stock kernel is $stock); try again when the archive has caught up"

patches=$(ls "$here"/patches/*.patch)
phash=$(cat $patches | sha256sum | cut -c1-12)
chash=$({ cat "$here/host.config"; "${cross}gcc" -dumpfullversion; } | sha256sum | cut -c1-12)
root=$SEAVMM_CACHE/kernel-patched
out=$root/$srcver-$phash-$chash
image=$out/Image

mkdir -p "$root"
exec 9>"$out.lock"
if ! flock -n 9; then
	log "setup: another run is building the patched kernel $srcver; waiting for it"
	flock 9
fi
if [ ! -f "$out/.done" ]; then
	t0=$SECONDS
	log "setup: building the patched host kernel $srcver (patches $phash, config $chash); a cold build takes about 11 minutes on 2 idle cores, much longer on a busy machine (tests/kernel/README.md)"
	debs=$SEAVMM_CACHE/debs/kernel-src-$srcver
	src_deb=$(apt_fetch_deb "linux-source-$mm=$srcver" "$debs")
	cfg_deb=$(apt_fetch_deb "linux-config-$mm=$srcver" "$debs")
	rm -rf "$out" "$out.work" "$out.new"
	mkdir -p "$out.work/deb"
	dpkg-deb -x "$src_deb" "$out.work/deb"
	dpkg-deb -x "$cfg_deb" "$out.work/deb"
	tarball=$(ls "$out.work"/deb/usr/src/linux-source-"$mm".tar.xz)
	cfg=$(ls "$out.work"/deb/usr/src/linux-config-"$mm"/config.arm64_none_cloud-arm64.xz)
	log "setup: kernel build: unpacking $(basename "$tarball")"
	tar -C "$out.work" -xJf "$tarball"
	src=$out.work/linux-source-$mm
	for p in $patches; do
		patch -d "$src" -p1 --quiet --forward <"$p" >"$out.work/patch.log" 2>&1 ||
			{ cat "$out.work/patch.log" >&2; fail "$(basename "$p") does not apply to linux-source $srcver"; }
	done
	xz -dc "$cfg" >"$src/.config"
	mk=(make -C "$src" ARCH=arm64 CROSS_COMPILE="$cross" KBUILD_BUILD_USER=seavmm
		KBUILD_BUILD_HOST=seavmm KBUILD_BUILD_TIMESTAMP="Debian $srcver + seavmm")
	(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$here/host.config") >"$out.work/config.log" 2>&1 &&
		"${mk[@]}" olddefconfig >>"$out.work/config.log" 2>&1 ||
		{ tail -n 20 "$out.work/config.log" >&2; fail "configuring the kernel failed (log: $out.work/config.log)"; }
	# What the tests rely on must have survived olddefconfig.
	for opt in KVM MEMORY_FAILURE HWPOISON_INJECT DEBUG_FS DEVMEM BLK_DEV_INITRD RD_GZIP \
		SERIAL_AMBA_PL011_CONSOLE TMPFS DEVTMPFS ARM64_RAS_EXTN TRANSPARENT_HUGEPAGE; do
		grep -q "^CONFIG_$opt=y" "$src/.config" ||
			fail "CONFIG_$opt is not built in after configuring (tests/kernel/host.config)"
	done
	log "setup: kernel build: compiling ($(nproc) jobs; output in $out.work/build.log)"
	n=0
	# One progress line every 250 files, so a cold build is never silent for long.
	nice -n 10 "${mk[@]}" -j"$(nproc)" Image 2>&1 | tee "$out.work/build.log" |
		while IFS= read -r line; do
			case $line in
			"  CC "*)
				n=$((n + 1))
				if [ $((n % 250)) = 0 ]; then
					log "setup: kernel build: $n files compiled, $((SECONDS - t0)) s"
				fi
				;;
			esac
		done || { tail -n 30 "$out.work/build.log" >&2; fail "the kernel build failed (log: $out.work/build.log)"; }
	[ -f "$src/arch/arm64/boot/Image" ] || fail "the kernel build made no Image (log: $out.work/build.log)"
	mkdir -p "$out.new"
	cp "$src/arch/arm64/boot/Image" "$src/.config" "$out.work/build.log" "$out.new/"
	"${mk[@]}" -s kernelrelease >"$out.new/release"
	echo "$((SECONDS - t0))" >"$out.new/build-seconds"
	# CPU time of everything run so far (children: make and the compilers),
	# which unlike the wall time does not depend on what else the machine
	# was doing: the figure for tests/kernel/README.md.
	# (times in this shell: in a subshell it would see only the subshell's.)
	times >"$out.work/times"
	cpu=$(tail -n1 "$out.work/times" | awk '{for (i = 1; i <= 2; i++) {split($i, a, /[ms]/); t += a[1] * 60 + a[2]}} END {printf "%d", t}')
	echo "$cpu" >"$out.new/build-cpu-seconds"
	touch "$out.new/.done"
	mv "$out.new" "$out"
	# The object tree is a few GB: only the image and its configuration stay.
	rm -rf "$out.work"
	log "setup: kernel build: done in $((SECONDS - t0)) s, $cpu s of CPU ($out)"
fi
file -b "$image" | grep -q 'ARM64 boot executable Image' || fail "$image is not an arm64 Image"
echo "PATCHED_KERNEL_VERSION=$(cat "$out/release") PATCHED_KERNEL_IMAGE=$image"
