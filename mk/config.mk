# Compiler flags shared by every part of the build.
WARN      := -Wall -Wextra -Werror
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -fPIC -D_GNU_SOURCE -Iinclude -MMD -MP $(SAN_CFLAGS) $(EXTRA_CFLAGS)
HOST_LDFLAGS := $(SAN_CFLAGS) $(EXTRA_LDFLAGS)
HOST_LDLIBS := -lpthread -lrt

# The payload is a freestanding 64-bit kernel linked at KVMKIT_PAYLOAD_BASE:
# no red zone (exceptions arrive on the same stack), no SSE (the runtime
# does not save it), no stack protector, no PIE.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -m64 -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -mcmodel=small \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-builtin -fno-common -DKVMKIT_GUEST -DCOMPILE_PAYLOAD \
	-Ilib/guest/include -Iinclude -Ilib/ltp/include -Ilib/common -MMD -MP
LD ?= ld
