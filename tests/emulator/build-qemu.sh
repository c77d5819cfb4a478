#!/usr/bin/env bash
# Builds the emulated arm64 RAS platform: qemu-system-aarch64 from Debian's
# bookworm qemu source package (Debian's patch series brings 7.2.x; plain 7.2.0
# aborts in regime_is_user once a nested KVM guest boots), with our patches in
# tests/emulator/*.patch applied on top. Prints the path of the binary.
#
# Cached under $SEAVMM_CACHE/qemu/<source version>-<hash of our patches>, so a
# warm run does nothing and a patch change rebuilds only what it touches.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../guest-images/lib.sh"

patches=$(ls "$here"/*.patch 2>/dev/null | sort || true)
phash=$( (echo "$QEMU_SRC_VERSION"; for p in $patches; do cat "$p"; done) | sha256sum | cut -c1-12)
ver=${QEMU_SRC_VERSION#*:}
out=$SEAVMM_CACHE/qemu/$ver-$phash
mkdir -p "$SEAVMM_CACHE/qemu"
bin=$out/build/qemu-system-aarch64

if [ -x "$bin" ] && [ -f "$out/.done" ]; then
	printf '%s\n' "$bin"
	exit 0
fi

# Two runs wanting the same build (two checkouts, or a scenario run beside
# make check) must not delete each other's work: one builds, the other waits.
exec 9>"$out.lock"
flock 9
if [ -x "$bin" ] && [ -f "$out/.done" ]; then
	printf '%s\n' "$bin"
	exit 0
fi

apt_private_init
srcdl=$SEAVMM_CACHE/qemu/src-$ver
if [ ! -f "$srcdl/.done" ]; then
	log "setup: downloading Debian's qemu $QEMU_SRC_VERSION source"
	rm -rf "$srcdl" && mkdir -p "$srcdl"
	(cd "$srcdl" && apt_private apt-get source --download-only "qemu=$QEMU_SRC_VERSION" >download.log 2>&1) ||
		fail "could not download the qemu source (see $srcdl/download.log)"
	touch "$srcdl/.done"
fi

rm -rf "$out" && mkdir -p "$out"
log "setup: unpacking qemu with Debian's patch series (dpkg-source -x)"
dpkg-source --no-check -x "$srcdl"/qemu_*.dsc "$out/src" >"$out/unpack.log" 2>&1 ||
	fail "dpkg-source -x failed (see $out/unpack.log)"
# The dfsg tarball carries no firmware blobs; never try to unpack them.
sed -i 's/^\(\s*unpack_edk2_blobs = \)bzip2.found()/\1false/' "$out/src/meson.build"
for p in $patches; do
	log "setup: applying $(basename "$p")"
	patch -d "$out/src" -p1 --forward --no-backup-if-mismatch <"$p" >>"$out/unpack.log" 2>&1 ||
		fail "emulator patch $(basename "$p") does not apply (see $out/unpack.log)"
done

mkdir -p "$out/build"
log "setup: configuring and building qemu-system-aarch64 (a few minutes on 2 cores; log in $out/build.log)"
(
	cd "$out/build"
	../src/configure --target-list=aarch64-softmmu --without-default-features \
		--enable-tcg --enable-fdt=system --disable-docs --disable-werror \
		--disable-user --disable-tools --disable-guest-agent
	ninja -j"$(nproc)" qemu-system-aarch64
) >"$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	fail "qemu build failed (see $out/build.log)"
}
touch "$out/.done"
# Keep the three newest builds (each about 600 MiB); older patch sets are gone.
ls -1dt "$SEAVMM_CACHE/qemu/$ver"-*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
printf '%s\n' "$bin"
