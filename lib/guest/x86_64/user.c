// SPDX-License-Identifier: MIT
/*
 * kvm_call_user(): run a function at CPL 3 and come back.  The first call
 * sets up what CPL 3 needs and the host's boot contract leaves out: user
 * code and data descriptors (DPL 3) in free GDT slots, a user stack from
 * the heap, and the U bit on the paths to the payload image (code, data,
 * .bss) and that stack.  Each call enters fn with IRETQ (call.S); fn
 * returns to kvmkit_user_trampoline, whose UD2 comes back through the
 * IDT like any exception from CPL 3 (on the TSS.RSP0 stack, which points
 * below the call's context meanwhile), and the dispatcher (safe.c) ends
 * the call: 0 for the trampoline's #UD, the vector for anything else.
 * TSS.RSP0 and the data segments are the caller's again on return.
 */
#include "frame.h"

#define USER_STACK_SIZE	(4 * PAGESIZE)

int kvmkit_call_user(void (*fn)(void *), void *arg, struct kvm_fault *fault,
		     uintptr_t user_rsp, uint64_t user_cs, uint64_t user_ss);
void kvmkit_x86_user_range(uintptr_t start, uintptr_t end);

static struct {
	uint16_t cs, ss;
	uintptr_t stack_top;
} user;

static uint16_t new_descriptor(unsigned int flags)
{
	int slot = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);

	if (slot < 0)
		tst_brk(TBROK, "kvm_call_user: no free GDT slot for a user segment");
	kvm_set_segment_descriptor(&kvm_gdt[slot], 0, 0xfffff,
				   flags | SEGFLAG_PRESENT | 0x60 /* DPL 3 */ |
				   SEGFLAG_PAGE_LIMIT);
	return slot * 8 | 3;
}

static void user_setup(void)
{
	uint8_t *stack = tst_heap_alloc_aligned(USER_STACK_SIZE, PAGESIZE);

	user.cs = new_descriptor(SEGTYPE_CODE | SEGFLAG_CODE64);
	user.ss = new_descriptor(SEGTYPE_RWDATA | SEGFLAG_32BIT);
	user.stack_top = (uintptr_t)stack + USER_STACK_SIZE;
	kvmkit_x86_user_range(KVMKIT_PAYLOAD_BASE, kvmkit_header.image_end);
	kvmkit_x86_user_range((uintptr_t)stack, user.stack_top);
}

#define READ_SEL(reg) ({						\
	uint16_t sel_;							\
									\
	asm volatile("mov %%" reg ", %0" : "=r"(sel_));			\
	sel_;								\
})

/*
 * IRETQ to CPL 3 nulls DS, ES, FS and GS (their DPL 0 is below CPL 3).
 * Give back the selectors the caller had, and FS/GS their bases, which
 * loading a selector resets.
 */
static void restore_segments(uint16_t ds, uint16_t fs, uint16_t gs,
			     uint64_t fs_base, uint64_t gs_base)
{
	if (ds && !READ_SEL("ds"))
		asm volatile("mov %0, %%ds\n\tmov %0, %%es" : : "r"((uint32_t)ds));
	if (fs && !READ_SEL("fs")) {
		asm volatile("mov %0, %%fs" : : "r"((uint32_t)fs));
		kvm_wrmsr(MSR_FS_BASE, fs_base);
	}
	if (gs && !READ_SEL("gs")) {
		asm volatile("mov %0, %%gs" : : "r"((uint32_t)gs));
		kvm_wrmsr(MSR_GS_BASE, gs_base);
	}
}

int kvm_call_user(void (*fn)(void *arg), void *arg, struct kvm_fault *fault)
{
	uint64_t rsp0 = kvm_tss.rsp[0];
	uint16_t ds = READ_SEL("ds"), fs = READ_SEL("fs"), gs = READ_SEL("gs");
	uint64_t fs_base = fs ? kvm_rdmsr(MSR_FS_BASE) : 0;
	uint64_t gs_base = gs ? kvm_rdmsr(MSR_GS_BASE) : 0;
	uint64_t *ret_addr;
	int ret;

	/* call.S switches CPU 0's TSS.RSP0: an AP would fault to nowhere */
	if (kvm_cpu_id())
		tst_brk(TBROK, "kvm_call_user() on CPU %u: only CPU 0 can yet",
			kvm_cpu_id());

	if (!user.cs)
		user_setup();

	/* fn starts as if called: RSP = 8 (mod 16), the trampoline on top */
	ret_addr = (uint64_t *)(user.stack_top - 8);
	*ret_addr = (uintptr_t)kvmkit_user_trampoline;

	ret = kvmkit_call_user(fn, arg, fault, (uintptr_t)ret_addr, user.cs,
			       user.ss);

	restore_segments(ds, fs, gs, fs_base, gs_base);
	kvm_tss.rsp[0] = rsp0;
	return ret;
}
