# Guest side: the freestanding runtime every payload links against.
GUEST_SRCS := $(wildcard lib/guest/*.c lib/guest/x86_64/*.c lib/guest/x86_64/*.S lib/common/*.c)
GUEST_OBJS := $(patsubst %,$(O)/guest/%.o,$(basename $(GUEST_SRCS)))
GUEST_LIB  := $(O)/lib/libkvmkit_guest.a
GUEST_LDS  := lib/guest/x86_64/payload.lds

$(O)/guest/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(O)/guest/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(GUEST_LIB): $(GUEST_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The i386 runtime of 32-bit payloads: the arch-neutral sources, the x86
# C files that mean the same in protected mode, and lib/guest/i386 for
# what is assembly of one mode (entry, vector stubs, tst_res_, calls).
# Long-mode-only parts (4-level paging, CPL 3 calls, SVM/VMX, the APIC
# helpers) are left out: a 32-bit test that calls them does not link.
GUEST32_X86 := interrupt.c hypercall.c cpu.c safe.c tables.c segment.c
GUEST32_SRCS := $(wildcard lib/guest/*.c lib/common/*.c lib/guest/i386/*.c lib/guest/i386/*.S) \
	$(addprefix lib/guest/x86_64/,$(GUEST32_X86))
GUEST32_OBJS := $(patsubst %,$(O)/guest32/%.o,$(basename $(GUEST32_SRCS)))
GUEST32_LIB  := $(O)/lib/libkvmkit_guest32.a
GUEST32_LDS  := lib/guest/i386/payload.lds

$(O)/guest32/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(GUEST32_CFLAGS) -c $< -o $@

$(O)/guest32/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(GUEST32_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(GUEST32_LIB): $(GUEST32_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
