# timeout: 300
# host: kernel=patched
# sea-user-fetch on the patched-kernel host: the same checks, with every abort injected
# by KVM through KVM_SET_VCPU_EVENTS (inject_path=auto finds
# KVM_CAP_ARM_INJECT_EXT_IABT); stderr and every injecting record say so.
. /scenarios/sea-user-fetch.sh
grep -q 'aborts are injected with KVM_SET_VCPU_EVENTS' err.txt ||
	{ echo "seavmm did not choose the events path on the patched kernel"; exit 1; }
grep -qF '"path":"events"' events.json || { echo "no event record says the events path injected"; exit 1; }
grep -qF '"path":"entry"' events.json && { echo "an event record says the entry path injected"; exit 1; }
echo "patched-sea-user-fetch ok"
