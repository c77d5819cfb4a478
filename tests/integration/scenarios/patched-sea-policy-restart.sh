# timeout: 300
# host: kernel=patched
# sea-policy-restart on the patched-kernel host, with the events path in use:
# the policy's restart works the same (nothing is injected).
. /scenarios/sea-policy-restart.sh
grep -q 'aborts are injected with KVM_SET_VCPU_EVENTS' err.txt ||
	{ echo "seavmm did not choose the events path on the patched kernel"; exit 1; }
echo "patched-sea-policy-restart ok"
