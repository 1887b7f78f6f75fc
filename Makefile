# kvmkit top-level build.  Sources are picked up by wildcard per folder, so
# adding a file never needs a Makefile change.  See mk/ for the pieces.
O ?= build
CC ?= gcc
include mk/config.mk
include mk/host.mk
include mk/guest.mk
include mk/tests.mk
include mk/check.mk
include mk/fuzz.mk
include mk/install.mk

.PHONY: all clean
.DEFAULT_GOAL := all

all: $(HOST_LIBS) $(GUEST_LIB) $(SUITE_BINS) $(UNIT_BINS) $(RUNTIME_BINS) $(HOSTILE_BINS) $(EXAMPLE_BINS) $(SOAK_BINS) $(RUNNER)

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
