# Compiler flags shared by every part of the build.
WARN      := -Wall -Wextra -Werror
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -fPIC -D_GNU_SOURCE -Iinclude -MMD -MP $(SAN_CFLAGS) $(EXTRA_CFLAGS)
HOST_LDFLAGS := $(SAN_CFLAGS) $(EXTRA_LDFLAGS)
HOST_LDLIBS := -lpthread -lrt

# The payload is a freestanding 64-bit kernel linked at KVMKIT_PAYLOAD_BASE:
# no red zone (exceptions arrive on the same stack), no SSE (the runtime
# does not save it), no stack protector, no PIE.  GUEST_CC_CFLAGS and
# GUEST_CC_LDFLAGS are the one definition: the build uses them for the
# runtime, and bin/kvmkit-cc reads them from the kvmkit-cc.conf generated
# from them (mk/install.mk) for every payload.
GUEST_CC_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -m64 -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -mcmodel=small \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-builtin -fno-common -DKVMKIT_GUEST -DCOMPILE_PAYLOAD
GUEST_CC_LDFLAGS := -m elf_x86_64 -static -nostdlib --no-dynamic-linker -z noexecstack
# The host side of a single-source test, and what every host link needs
HOST_CC_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -D_GNU_SOURCE
GUEST_CFLAGS := $(GUEST_CC_CFLAGS) -Werror \
	-Ilib/guest/include -Iinclude -Ilib/ltp/include -Ilib/common -MMD -MP
LD ?= ld

# A 32-bit payload (KVMKIT_GUEST_MODE(32) or (32pae), see
# include/kvmkit/guest_mode.h): the same flags for i386, where the red
# zone and code models do not exist.  The runtime for it is built from the
# same lib/guest sources plus lib/guest/i386 (mk/guest.mk).
GUEST32_CC_CFLAGS := $(filter-out -m64 -mno-red-zone -mcmodel=small,$(GUEST_CC_CFLAGS)) \
	-m32 -march=i686
GUEST32_CC_LDFLAGS := $(patsubst elf_x86_64,elf_i386,$(GUEST_CC_LDFLAGS))
GUEST32_CFLAGS := $(GUEST32_CC_CFLAGS) -Werror \
	-Ilib/guest/include -Iinclude -Ilib/ltp/include -Ilib/common -MMD -MP
