# timeout: 60
# seavmm probe in the emulated host: KVM is there and offers the SEA exit.
set -e
seavmm probe | tee probe.out
grep -q '^KVM_CAP_ARM_SEA_TO_USER: supported' probe.out || { echo "KVM_CAP_ARM_SEA_TO_USER is not supported by this host kernel"; exit 1; }
grep -q '^KVM_CAP_ARM_INJECT_EXT_DABT: supported' probe.out || { echo "KVM_CAP_ARM_INJECT_EXT_DABT missing"; exit 1; }
grep -q '^gic: .*v3' probe.out || { echo "no in-kernel GICv3"; exit 1; }
# Without /dev/kvm: one clear line and a non-zero status.
set +e
seavmm probe --kvm /nonexistent >out 2>err; rc=$?
set -e
[ "$rc" = 1 ] || { echo "probe without KVM exited $rc, want 1"; exit 1; }
[ "$(wc -l <err)" = 1 ] || { echo "probe without KVM printed $(wc -l <err) lines, want 1"; exit 1; }
cat err
echo "probe ok"
