# guest-hostile, guest side: loads and stores where seavmm's machine has
# neither RAM nor a device, odd-sized accesses to the UART, and pair
# loads/stores KVM cannot decode (KVM_EXIT_ARM_NISV), all through /dev/mem
# with guest-images/progs/poke.c. Expects 1 vCPU and 128M of RAM (RAM ends at
# 0x48000000, a 32-bit guest-physical space) and iomem=relaxed on the command
# line: Debian's kernel (CONFIG_STRICT_DEVMEM, CONFIG_IO_STRICT_DEVMEM) lets
# /dev/mem map what is neither RAM nor claimed by a driver, and the UART only
# with iomem=relaxed, as its 8250 driver holds it. Plain accesses must
# complete (reads of nothing give 0); pair accesses must only kill the poking
# process: seavmm injects an external abort, which the guest kernel turns into
# SIGBUS with BUS_OBJERR (an alignment fault would be BUS_ADRALN). Prints
# GUEST-RESULT: ok or what went wrong, then init powers the guest off.
bad=""
# try ACCESS WANT: poke ACCESS; its outcome must match the shell pattern WANT
try() {
	got=$(poke "$1")
	echo "guest: $got"
	case "${got#*: }" in
	$2) ;;
	*) bad="$bad $1=>${got#*: }(want $2)" ;;
	esac
}
[ -e /dev/mem ] || { echo "GUEST-RESULT: no /dev/mem in this guest kernel"; exit 0; }

# Below the GIC, between the GIC distributor and the UART, past the UART,
# past the one vCPU's redistributor, between devices and RAM.
for a in 0x0 0x1000 0x08020000 0x09001000 0x10020000 0x20000000 0x3ffff000; do
	try r8@$a 'value=0x0'
	try r16@$((a + 2)) 'value=0x0'
	try r32@$((a + 4)) 'value=0x0'
	try r64@$((a + 8)) 'value=0x0'
	try w64@$a=0x1122334455667788 stored
	try r64@$a 'value=0x0'
done
# Just past the end of RAM, and the top of the 32-bit guest-physical space.
for a in 0x48000000 0x48000ff8 0xfffff000 0xfffffff8; do
	try w32@$a=0xdeadbeef stored
	try r32@$a 'value=0x0'
	try r64@$a 'value=0x0'
done
# The UART: its registers are bytes; wider accesses read 0 and are ignored,
# so the console must still work afterwards. The scratch register keeps a byte.
try w8@0x09000007=0xa5 stored
try r8@0x09000007 'value=0xa5'
try r16@0x09000006 'value=0x0'
try r32@0x09000004 'value=0x0'
try r64@0x09000000 'value=0x0'
try w16@0x09000000=0x4141 stored
try w32@0x09000000=0x41414141 stored
try w64@0x09000000=0x4141414141414141 stored
try r32@0x09000100 'value=0x0'
try w32@0x09000ffc=0x1 stored
# No syndrome: the pair access gets an external abort, the guest lives on.
for a in 0x20000000 0x48000000 0x09000000 0x09000ff0 0xfffffff0; do
	try ldp@$a 'SIGBUS (external abort)'
	try stp@$a 'SIGBUS (external abort)'
done
echo "guest: still here after the pokes; console works"
echo "GUEST-RESULT: ${bad:-ok}"
