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
