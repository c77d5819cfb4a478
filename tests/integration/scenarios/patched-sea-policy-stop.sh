# timeout: 240
# host: kernel=patched
# sea-policy-stop on the patched-kernel host, with the events path in use:
# the policy's stop works the same (nothing is injected, exit status 3).
. /scenarios/sea-policy-stop.sh
grep -q 'aborts are injected with KVM_SET_VCPU_EVENTS' err.txt ||
	{ echo "seavmm did not choose the events path on the patched kernel"; exit 1; }
echo "patched-sea-policy-stop ok"
