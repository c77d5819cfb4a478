# timeout: 300
# host: kernel=patched
# sea-user-inject on the patched-kernel host: the same end-to-end checks,
# with seavmm choosing the events path (inject_path=auto finds
# KVM_CAP_ARM_INJECT_EXT_IABT) so that KVM itself injects the data abort;
# stderr and the event record must say so.
. /scenarios/sea-user-inject.sh
grep -q 'aborts are injected with KVM_SET_VCPU_EVENTS' err.txt ||
	{ echo "seavmm did not choose the events path on the patched kernel"; exit 1; }
grep -qF '"path":"events"' events.json || { echo "the event record does not say the events path injected"; exit 1; }
echo "patched-sea-user-inject ok"
