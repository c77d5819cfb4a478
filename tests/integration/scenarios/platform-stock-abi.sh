# timeout: 60
# The stock kernel and the patched kernel's interface (tests/kernel/README.md):
# a stock 7.2 kernel refuses ext_iabt_pending, ext_abt_has_esr and ext_abt_esr
# with EINVAL (they sit in its pad and reserved) and offers no
# KVM_CAP_ARM_INJECT_EXT_IABT; seavmm probe says run emulates the entry, and
# --ras inject_path=events is refused at start with one line, exit status 2.
set -e
sea_platform abi-stock
seavmm probe >probe.out
grep '^KVM_CAP_ARM_INJECT_EXT_IABT\|^inject-path' probe.out
grep -q '^KVM_CAP_ARM_INJECT_EXT_IABT: not supported' probe.out || { echo "probe: the capability on a stock kernel"; exit 1; }
grep -q '^inject-path: entry ' probe.out || { echo "probe: not the entry path on a stock kernel"; exit 1; }
set +e
seavmm run -k /guest/Image --ras inject_path=events </dev/null >out.txt 2>err.txt
rc=$?
set -e
cat err.txt
[ "$rc" = 2 ] || { echo "inject_path=events on a stock kernel exited $rc, want 2"; exit 1; }
[ "$(wc -l <err.txt)" = 1 ] || { echo "want one error line, got $(wc -l <err.txt)"; exit 1; }
grep -q 'inject_path=events: this kernel lacks KVM_CAP_ARM_INJECT_EXT_IABT' err.txt ||
	{ echo "the error line does not say why"; exit 1; }
echo "platform-stock-abi ok"
