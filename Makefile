# seavmm: see README.md. `make` builds the aarch64 binary, `make check` runs
# every test (unit, then integration in the emulated arm64 host), `make run`
# shows seavmm working in the emulated host.

SHELL := /bin/bash
.DEFAULT_GOAL := all

export SEAVMM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/seavmm
BUILD   := build
CROSS   ?= aarch64-linux-gnu-
SYSROOT := $(SEAVMM_CACHE)/sysroot-arm64

# Packages a fresh Debian 12 machine needs (bc, flex, bison and libssl-dev
# also build the patched host kernel, tests/kernel/). The arm64 libfdt and
# json-c are not installed (libfdt-dev is not Multi-Arch: same and the
# emulator needs the amd64 one): guest-images/fetch-debian.sh unpacks them
# into $(SYSROOT). The native libjson-c-dev is for the unit tests.
DEPS_PKGS := make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross libcmocka-dev libjson-c-dev \
	clang libclang-rt-dev pkg-config dpkg-dev file cpio xz-utils zstd device-tree-compiler \
	debian-archive-keyring ca-certificates patch python3 python3-venv \
	meson ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev flex bison \
	bc libssl-dev

CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
INCLUDES := -Iinclude

# Sources. vmm/ and devices/ only ever run on arm64; ras/ and the listed
# portable vmm/ files also build natively for unit tests and the fuzzer.
# vmm/ is grouped by concern (README.md, "Layout"); every group is on the
# quoted include path (-iquote: <fdt.h> and <memory.h> stay the system's),
# so a source names a header of another group as "x.h".
VMM_DIRS      := $(patsubst %/,%,$(sort $(wildcard vmm/*/)))
INCLUDES      += $(addprefix -iquote ,$(VMM_DIRS))
RAS_SRCS      := $(sort $(wildcard ras/*.c))
VMM_SRCS      := $(sort $(wildcard $(addsuffix /*.c,$(VMM_DIRS)) devices/*.c))
VMM_PORTABLE  := $(filter $(wildcard \
	vmm/core/console_escape.c vmm/core/fault.c vmm/core/guest_copy.c vmm/core/outfile.c vmm/core/seccomp.c vmm/core/sigsafe.c vmm/core/term.c vmm/core/thread_pointer.c vmm/core/util.c \
	vmm/boot/fdt.c vmm/boot/image.c \
	vmm/sea/guest_walk.c vmm/sea/inject_entry.c vmm/sea/inject_events.c vmm/sea/ledger.c \
	vmm/sea/quarantine.c vmm/sea/retire.c vmm/sea/sea_report.c vmm/sea/sigbus.c \
	vmm/api/api_json.c vmm/api/api_metrics.c vmm/api/api_page.c vmm/api/api_requests.c \
	vmm/api/api_server.c vmm/api/ctl.c vmm/api/ctl_format.c vmm/api/pagemap.c vmm/api/poison_einj.c \
	vmm/agent/agent_proto.c vmm/agent/agent_report.c \
	vmm/cli/opts.c vmm/cli/ras_config.c vmm/cli/size.c vmm/cli/virtio_opts.c \
	devices/mmio_bus.c devices/outq.c devices/uart_16550.c devices/virtqueue.c devices/virtio_mmio.c \
	devices/virtio_rng.c devices/virtio_blk.c devices/virtio_console.c devices/virtio_net.c),$(VMM_SRCS))
NATIVE_SRCS   := $(RAS_SRCS) $(VMM_PORTABLE)

# --- cross build: the static aarch64 seavmm ---------------------------------
CROSS_CFLAGS  := $(CSTD) $(WARN) -O2 -g $(INCLUDES) -isystem $(SYSROOT)/usr/include -pthread -MMD -MP
CROSS_LDFLAGS := -static -pthread -L$(SYSROOT)/usr/lib/aarch64-linux-gnu
CROSS_LIBS    := -lfdt -ljson-c
CROSS_OBJS    := $(patsubst %.c,$(BUILD)/aarch64/%.o,$(VMM_SRCS) $(RAS_SRCS))
SEAVMM        := $(BUILD)/aarch64/seavmm

# Programs that run inside the emulated host or a guest (test tools, guest
# programs): one static binary per .c file.
HOSTPROG_SRCS := $(sort $(wildcard tests/integration/progs/*.c))
# guest-images/progs/virtio/: only in the virtio guest initramfs (each static
# program costs every guest its size in RAM).
GUESTPROG_SRCS:= $(sort $(wildcard guest-images/progs/*.c guest-images/progs/virtio/*.c))
HOSTPROGS     := $(patsubst tests/integration/progs/%.c,$(BUILD)/aarch64/hostprogs/%,$(HOSTPROG_SRCS))
GUESTPROGS    := $(patsubst guest-images/progs/%.c,$(BUILD)/aarch64/guestprogs/%,$(GUESTPROG_SRCS))
# seavmm-agent runs in guests (agent/README.md): its own static program.
AGENT         := $(BUILD)/aarch64/seavmm-agent

# --- native build: unit tests under ASan and UBSan --------------------------
SAN           := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
NATIVE_CFLAGS := $(CSTD) $(WARN) -O1 -g $(SAN) $(INCLUDES) -MMD -MP
NATIVE_OBJS   := $(patsubst %.c,$(BUILD)/native/%.o,$(NATIVE_SRCS))
UNIT_SRCS     := $(filter-out tests/unit/test_kvm_compat.c,$(sort $(wildcard tests/unit/test_*.c)))
# test_kvm_compat is built once per set of real arm64 kernel headers.
COMPAT_BINS   := $(BUILD)/native/tests/test_kvm_compat_linux6.1 $(BUILD)/native/tests/test_kvm_compat_sid
UNIT_BINS     := $(patsubst tests/unit/%.c,$(BUILD)/native/tests/%,$(UNIT_SRCS)) $(COMPAT_BINS)

# Stand-in guest kernels (guest-images/stub/stub.S): off, reset, idle, command.
STUBS := $(BUILD)/guest/stub-off.img $(BUILD)/guest/stub-reset.img $(BUILD)/guest/stub-idle.img \
	 $(BUILD)/guest/stub-cmd.img
stub_mode = $(if $(findstring -off,$(1)),0,$(if $(findstring -reset,$(1)),1,$(if $(findstring -cmd,$(1)),3,2)))
$(BUILD)/guest/stub-%.img: guest-images/stub/stub.S
	@mkdir -p $(@D)
	$(CROSS)gcc -c -DSTUB_MODE=$(call stub_mode,$@) -o $(@:.img=.o) $<
	$(CROSS)ld -Ttext=0 --build-id=none -o $(@:.img=.elf) $(@:.img=.o)
	$(CROSS)objcopy -O binary -j .text $(@:.img=.elf) $@

# Keep every object: the unit tests and the cross build share nothing else.
.SECONDARY:

.PHONY: all deps check check-unit check-integration run bench fuzz clean format format-check help

all: $(SEAVMM) $(AGENT) $(HOSTPROGS) $(GUESTPROGS) $(STUBS)

help:
	@echo "make            build $(SEAVMM) and $(AGENT) (static aarch64)"
	@echo "make check      unit tests, then integration tests in the emulated arm64 host"
	@echo "make check-unit / check-integration   one tier alone"
	@echo "make run        boot the emulated host and show seavmm in it"
	@echo "make bench      benchmarks (figures only, never pass/fail)"
	@echo "make fuzz       run the fuzz targets for a bounded time"
	@echo "make format / format-check   apply / check .clang-format on the C sources"
	@echo "make deps       install what a fresh Debian 12 machine lacks (as root)"

# Installs only what is missing; silent when nothing is.
deps:
	@missing=$$(dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEPS_PKGS) 2>/dev/null | awk '$$1 != "ii" {print $$2}'; \
		for p in $(DEPS_PKGS); do dpkg-query -W $$p >/dev/null 2>&1 || echo $$p; done); \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -n "$${missing// /}" ]; then \
		echo "deps: installing $$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "deps: missing packages ($$missing); run 'make deps' as root" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		mkdir -p $(BUILD); \
		{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; } >$(BUILD)/deps.log 2>&1 || \
			{ tail -n 20 $(BUILD)/deps.log; echo "deps: apt-get failed (log: $(BUILD)/deps.log)" >&2; exit 1; }; \
	fi
	@bash guest-images/fetch-debian.sh sysroot >/dev/null
	@mkdir -p $(BUILD) && touch $(BUILD)/.deps

# A fresh clone (no build/), a lost sysroot or one from before json-c runs
# `make deps` first.
DEPS_STAMP := $(BUILD)/.deps
SYSROOT_LIBS := $(SYSROOT)/.done $(SYSROOT)/usr/lib/aarch64-linux-gnu/libjson-c.a
$(DEPS_STAMP) $(SYSROOT_LIBS):
	@$(MAKE) --no-print-directory deps

$(BUILD)/aarch64/%.o: %.c | $(DEPS_STAMP) $(SYSROOT_LIBS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(CROSS_CFLAGS) -c $< -o $@

# The system call names seccomp's SIGSYS handler prints, from the kernel
# headers each build compiles against: X(name) for every __NR_name.
SYSCALL_LIST = sed -n 's/^\#define __NR_\([a-z0-9_]*\) .*/X(\1)/p' | grep -v -x -e 'X(syscalls)' -e 'X(arch_specific_syscall)' | LC_ALL=C sort -u
$(BUILD)/aarch64/gen/syscall_list.h: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CROSS)gcc -dM -E -include asm/unistd.h -x c /dev/null | $(SYSCALL_LIST) >$@
$(BUILD)/native/gen/syscall_list.h: | $(DEPS_STAMP)
	@mkdir -p $(@D)
	cc -dM -E -include asm/unistd.h -x c /dev/null | $(SYSCALL_LIST) >$@
$(BUILD)/aarch64/vmm/core/seccomp.o: $(BUILD)/aarch64/gen/syscall_list.h
$(BUILD)/aarch64/vmm/core/seccomp.o: CROSS_CFLAGS += -I$(BUILD)/aarch64/gen
$(BUILD)/native/vmm/core/seccomp.o: $(BUILD)/native/gen/syscall_list.h
$(BUILD)/native/vmm/core/seccomp.o: NATIVE_CFLAGS += -I$(BUILD)/native/gen

$(SEAVMM): $(CROSS_OBJS)
	$(CROSS)gcc $(CROSS_LDFLAGS) -o $@ $^ $(CROSS_LIBS)

# Two rules, not one with two targets: that would make both programs of one
# name (a host and a guest netxfer) from a single recipe run.
$(BUILD)/aarch64/hostprogs/%: | $(DEPS_STAMP) $(SYSROOT_LIBS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(CROSS_CFLAGS) $(CROSS_LDFLAGS) -o $@ $< $(filter %.o,$^)
# Guest test programs are dynamic and stripped: a dozen static ones made the
# guest initramfs too big to unpack in a 128M guest. The guest image carries
# the one libc they share (guest-images/build-guest-initramfs.sh).
$(BUILD)/aarch64/guestprogs/%: | $(DEPS_STAMP) $(SYSROOT_LIBS)
	@mkdir -p $(@D)
	$(CROSS)gcc $(CROSS_CFLAGS) -pthread -Wl,--strip-all -o $@ $< $(filter %.o,$^)
$(foreach s,$(HOSTPROG_SRCS),$(eval $(patsubst tests/integration/progs/%.c,$(BUILD)/aarch64/hostprogs/%,$(s)): $(s)))
$(foreach s,$(GUESTPROG_SRCS),$(eval $(patsubst guest-images/progs/%.c,$(BUILD)/aarch64/guestprogs/%,$(s)): $(s)))
# sea_platform checks seavmm's own injection code against the kernel's (after
# the line above: its source must stay the first prerequisite).
$(BUILD)/aarch64/hostprogs/sea_platform: $(BUILD)/aarch64/vmm/sea/inject_entry.o $(BUILD)/aarch64/vmm/sea/inject_events.o \
	$(patsubst %.c,$(BUILD)/aarch64/%.o,$(RAS_SRCS))

# tp_guard runs seavmm's thread-pointer guard and fault handler on arm64.
$(BUILD)/aarch64/hostprogs/tp_guard: $(BUILD)/aarch64/vmm/core/thread_pointer.o \
	$(BUILD)/aarch64/vmm/core/sigsafe.o $(BUILD)/aarch64/vmm/core/fault.o \
	$(BUILD)/aarch64/vmm/core/term.o $(BUILD)/aarch64/vmm/core/kvm.o $(BUILD)/aarch64/vmm/core/util.o

$(AGENT): agent/seavmm-agent.c agent/agent_protocol.h | $(DEPS_STAMP) $(SYSROOT)/.done
	@mkdir -p $(@D)
	$(CROSS)gcc $(CSTD) $(WARN) -O2 -g -static -o $@ $<

$(BUILD)/native/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	cc $(NATIVE_CFLAGS) -c $< -o $@

$(BUILD)/native/tests/%: tests/unit/%.c $(NATIVE_OBJS)
	@mkdir -p $(@D)
	cc $(NATIVE_CFLAGS) -o $@ $< $(filter %.o,$^) -lcmocka -lfdt -ljson-c -lm

# Only the kernel's linux/, asm/ and asm-generic/ go on the include path, so
# the native libc headers stay the build machine's own.
$(BUILD)/native/khdr-linux6.1/.done: | $(DEPS_STAMP) $(SYSROOT)/.done
	@mkdir -p $(@D) && ln -sfn /usr/aarch64-linux-gnu/include/linux $(@D)/linux && \
	 ln -sfn /usr/aarch64-linux-gnu/include/asm $(@D)/asm && \
	 ln -sfn /usr/aarch64-linux-gnu/include/asm-generic $(@D)/asm-generic && touch $@
$(BUILD)/native/khdr-sid/.done: | $(DEPS_STAMP) $(SYSROOT)/.done
	@mkdir -p $(@D) && ln -sfn $(SYSROOT)/sid-headers/usr/include/linux $(@D)/linux && \
	 ln -sfn $(SYSROOT)/sid-headers/usr/include/aarch64-linux-gnu/asm $(@D)/asm && \
	 ln -sfn $(SYSROOT)/sid-headers/usr/include/asm-generic $(@D)/asm-generic && touch $@
$(BUILD)/native/tests/test_kvm_compat_%: tests/unit/test_kvm_compat.c $(BUILD)/native/khdr-%/.done
	@mkdir -p $(@D)
	cc $(NATIVE_CFLAGS) -I$(BUILD)/native/khdr-$* -o $@ $< -lcmocka

check-unit: $(UNIT_BINS) | $(DEPS_STAMP) $(SYSROOT)/.done
	@bash tests/unit/run $(UNIT_BINS)

check-integration: all
	@bash tests/integration/run

# One closing line for both tiers; the integration tier runs even when a unit
# test failed, so one run shows everything that is wrong.
check: deps
	@mkdir -p $(BUILD) && $(MAKE) --no-print-directory all $(UNIT_BINS) >$(BUILD)/.check-build.log 2>&1 || { cat $(BUILD)/.check-build.log; echo "0 passed, 1 failed"; exit 1; }
	@bash tests/check $(UNIT_BINS)

run: deps all
	@bash tests/integration/run --demo

bench: deps all
	@bash tests/bench/run

fuzz: deps
	@bash tests/fuzz/run

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Fails, naming the lines, when a tracked C file is not as `make format` leaves it.
format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
