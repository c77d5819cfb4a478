# timeout: 60
# host: kernel=patched
# The patched-kernel host (tests/kernel/README.md): it runs the patched
# kernel, seavmm probe finds KVM_CAP_ARM_INJECT_EXT_IABT there and says
# 'seavmm run' will inject aborts through KVM_SET_VCPU_EVENTS.
set -e
echo "host kernel: $(uname -r)"
case $(uname -r) in *-seavmm) ;; *) echo "the host runs $(uname -r), not the patched kernel (-seavmm)"; exit 1 ;; esac
seavmm probe | tee probe.out
grep -q '^KVM_CAP_ARM_SEA_TO_USER: supported' probe.out || { echo "KVM_CAP_ARM_SEA_TO_USER missing"; exit 1; }
grep -q '^KVM_CAP_ARM_INJECT_EXT_IABT: supported' probe.out ||
	{ echo "seavmm probe does not find KVM_CAP_ARM_INJECT_EXT_IABT on the patched kernel"; exit 1; }
grep -q '^inject-path: events ' probe.out || { echo "seavmm probe does not report the events path"; exit 1; }
echo "patched-probe ok"
