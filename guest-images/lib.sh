# Shared helpers for the set-up scripts: where the cache lives and how we talk
# to Debian's archive without touching the machine's own apt configuration.
# Sourced, not run.

SEAVMM_CACHE=${SEAVMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seavmm}
APT_ROOT=$SEAVMM_CACHE/apt

# Pinned where a moving target would break reproducibility (bookworm), resolved
# at set-up time where Debian drops old versions (sid's kernel).
QEMU_SRC_VERSION=${QEMU_SRC_VERSION:-1:7.2+dfsg-7+deb12u18}
BUSYBOX_VERSION=1:1.35.0-4+deb12u1+b1
LIBFDT_VERSION=1.6.1-4+b1
JSONC_VERSION=0.16-2

log() { printf '%s\n' "$*" >&2; }
fail() { printf 'seavmm setup: %s\n' "$*" >&2; exit 1; }

# A private apt tree: arm64 binaries from sid and bookworm, bookworm sources.
# Signatures are checked against the machine's debian-archive-keyring.
apt_private() {
	local cmd=$1; shift
	"$cmd" -q -o Dir::Etc::SourceList="$APT_ROOT/sources.list" \
		-o Dir::Etc::SourceParts=- \
		-o Dir::State::Lists="$APT_ROOT/lists" \
		-o Dir::State::Status="$APT_ROOT/status" \
		-o Dir::Cache="$APT_ROOT/cache" \
		-o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
		-o APT::Sandbox::User=root \
		-o Debug::NoLocking=1 "$@"
}

apt_private_init() {
	mkdir -p "$APT_ROOT/lists/partial" "$APT_ROOT/cache/archives/partial"
	touch "$APT_ROOT/status"
	# Signatures are checked; the Valid-Until date is not, because a mirror
	# that is frozen or lagging (seen: sid's InRelease 17 days past its
	# Valid-Until) would otherwise stop every test run, and these packages
	# only ever run inside the emulator.
	cat >"$APT_ROOT/sources.list" <<EOS
deb [arch=arm64 check-valid-until=no] http://deb.debian.org/debian sid main
deb [arch=arm64 check-valid-until=no] http://deb.debian.org/debian bookworm main
deb-src [check-valid-until=no] http://deb.debian.org/debian bookworm main
deb-src [check-valid-until=no] http://deb.debian.org/debian-security bookworm-security main
deb-src [check-valid-until=no] http://deb.debian.org/debian bookworm-updates main
EOS
	# Refresh at most once a day: sid moves, but not every run needs it.
	local stamp=$APT_ROOT/lists/.updated
	if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
		log "setup: refreshing Debian package lists (private apt tree in $APT_ROOT)"
		if ! apt_private apt-get update >"$APT_ROOT/update.log" 2>&1 ||
			grep -q '^E:' "$APT_ROOT/update.log"; then
			grep '^[EW]:' "$APT_ROOT/update.log" | head -n 5 >&2
			fail "apt-get update of the private tree failed (above; full log $APT_ROOT/update.log)"
		fi
		touch "$stamp"
	fi
}

# apt_fetch_deb NAME[=VERSION] DESTDIR: download one .deb (signature-checked
# through the Release file) unless it is already there; prints its path.
apt_fetch_deb() {
	local spec=$1 dest=$2 name=${1%%[=/]*} ver=
	case $spec in *=*) ver=${spec#*=}; ver=${ver#*:} ;; esac
	mkdir -p "$dest"
	local have
	have=$(ls "$dest/${name}_"*"${ver}_"*.deb 2>/dev/null | head -n1)
	if [ -z "$have" ]; then
		(cd "$dest" && apt_private apt-get download "$spec" >/dev/null 2>"$dest/.err") ||
			fail "could not download $spec from Debian (see $dest/.err)"
		have=$(ls "$dest/${name}_"*"${ver}_"*.deb 2>/dev/null | head -n1)
		[ -n "$have" ] || fail "downloaded $spec but cannot find it in $dest"
	fi
	printf '%s\n' "$have"
}

# modules_install MODULES_DIR DEST NAME...: puts the kernel modules NAME (as
# modinfo names them: virtio_mmio, virtio_rng) and the modules they depend on
# into DEST as plain .ko (busybox insmod reads no .xz), and appends their file
# names to DEST/load.list in an order insmod can follow (dependencies first).
# Debian's modules package has no modules.dep (depmod runs at install): the
# dependencies come from each module's own "depends=" modinfo field.
modules_install() {
	local dir=$1 dest=$2 name
	shift 2
	mkdir -p "$dest"
	touch "$dest/load.list"
	for name in "$@"; do
		_module_add "$dir" "$dest" "$name"
	done
}

_module_add() {
	local dir=$1 dest=$2 name=${3//-/_} f file deps d
	grep -qx "$name.ko" "$dest/load.list" && return 0
	f=$(find "$dir/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | head -n1)
	[ -n "$f" ] || fail "kernel module $name is not in $dir"
	file=$name.ko
	case $f in
	*.xz) xz -dc "$f" >"$dest/$file" ;;
	*.zst) zstd -q -dc "$f" >"$dest/$file" ;;
	*) cp "$f" "$dest/$file" ;;
	esac
	deps=$(tr '\0' '\n' <"$dest/$file" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' ')
	for d in $deps; do
		_module_add "$dir" "$dest" "$d"
	done
	echo "$file" >>"$dest/load.list"
}
