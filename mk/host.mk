# Host side: the native library (static and shared) and the LTP face.
# lib/common: code both sides compile (the printf core)
HOST_SRCS := $(wildcard lib/host/*.c lib/host/x86_64/*.c lib/common/*.c)
HOST_OBJS := $(HOST_SRCS:%.c=$(O)/%.o)
LTP_SRCS  := $(wildcard lib/ltp/*.c)
LTP_OBJS  := $(LTP_SRCS:%.c=$(O)/%.o)

LIBKVMKIT     := $(O)/lib/libkvmkit.a
LIBKVMKIT_SO  := $(O)/lib/libkvmkit.so
LIBKVMKIT_LTP := $(O)/lib/libkvmkit_ltp.a
HOST_LIBS := $(LIBKVMKIT) $(LIBKVMKIT_SO) $(LIBKVMKIT_LTP)

$(O)/lib/host/%.o: lib/host/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib/host -c $< -o $@

$(O)/lib/common/%.o: lib/common/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib/common -c $< -o $@

$(O)/lib/ltp/%.o: lib/ltp/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Ilib/ltp/include -c $< -o $@

$(LIBKVMKIT): $(HOST_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# libkvmkit.so.0 with the link name libkvmkit.so next to it
KVMKIT_SONAME := libkvmkit.so.0
$(LIBKVMKIT_SO): $(HOST_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(KVMKIT_SONAME) $(HOST_LDFLAGS) \
		-o $(@D)/$(KVMKIT_SONAME) $(HOST_OBJS) $(HOST_LDLIBS)
	ln -sf $(KVMKIT_SONAME) $@

$(LIBKVMKIT_LTP): $(LTP_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
