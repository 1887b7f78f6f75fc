// SPDX-License-Identifier: MIT
/* Human-readable vCPU state for failure reports. */
#include <string.h>
#include "internal.h"
#include "x86_64/text.h"

static const char *const gpr_names[16] = {
	"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP",
	"R8 ", "R9 ", "R10", "R11", "R12", "R13", "R14", "R15",
};

void kvmkit_x86_text_gprs(struct kvmkit_text *t, const uint64_t gpr[16])
{
	int i;

	for (i = 0; i < 16; i++)
		kvmkit_text_printf(t, "%s 0x%016llx%s", gpr_names[i],
				   (unsigned long long)gpr[i],
				   i % 4 == 3 ? "\n" : "  ");
}

/*
 * Returns the length written (at most len - 1), so that a caller can
 * append more after it.
 */
size_t kvmkit_x86_format_regs(const struct kvm_regs *regs,
			      const struct kvm_sregs *sregs,
			      char *buf, size_t len)
{
	const uint64_t gpr[16] = {
		regs->rax, regs->rbx, regs->rcx, regs->rdx,
		regs->rsi, regs->rdi, regs->rbp, regs->rsp,
		regs->r8, regs->r9, regs->r10, regs->r11,
		regs->r12, regs->r13, regs->r14, regs->r15,
	};
	struct kvmkit_text t;

	kvmkit_text_init(&t, buf, len);
	kvmkit_text_printf(&t, "RIP 0x%016llx  RFLAGS 0x%08llx\n",
			   (unsigned long long)regs->rip,
			   (unsigned long long)regs->rflags);
	kvmkit_x86_text_gprs(&t, gpr);
	kvmkit_text_printf(&t,
			   "CS 0x%04x  SS 0x%04x  DS 0x%04x  ES 0x%04x  FS 0x%04x  GS 0x%04x  TR 0x%04x\n",
			   sregs->cs.selector, sregs->ss.selector,
			   sregs->ds.selector, sregs->es.selector,
			   sregs->fs.selector, sregs->gs.selector,
			   sregs->tr.selector);
	kvmkit_text_printf(&t,
			   "CR0 0x%llx  CR2 0x%llx  CR3 0x%llx  CR4 0x%llx  EFER 0x%llx\n",
			   (unsigned long long)sregs->cr0,
			   (unsigned long long)sregs->cr2,
			   (unsigned long long)sregs->cr3,
			   (unsigned long long)sregs->cr4,
			   (unsigned long long)sregs->efer);
	kvmkit_text_printf(&t, "GDT 0x%llx/0x%x  IDT 0x%llx/0x%x\n",
			   (unsigned long long)sregs->gdt.base,
			   sregs->gdt.limit,
			   (unsigned long long)sregs->idt.base,
			   sregs->idt.limit);
	return t.pos;
}

int kvmkit_vcpu_dump(struct kvmkit_vcpu *vcpu, char *buf, size_t len)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int ret;

	if (len)
		buf[0] = '\0';
	ret = kvmkit_vcpu_get_regs(vcpu, &regs);
	if (!ret)
		ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (ret)
		return ret;
	kvmkit_x86_format_regs(&regs, &sregs, buf, len);
	return 0;
}

static void fdump_segment(FILE *f, const char *name,
			  const struct kvm_segment *s)
{
	fprintf(f, "%-3s sel 0x%04x base 0x%016llx limit 0x%08x type 0x%x%s%s dpl %u%s%s%s%s\n",
		name, s->selector, (unsigned long long)s->base, s->limit,
		s->type, s->s ? " S" : "", s->present ? " P" : " !P", s->dpl,
		s->db ? " DB" : "", s->l ? " L" : "", s->g ? " G" : "",
		s->unusable ? " unusable" : "");
}

/* The x86 part of kvmkit_vcpu_fdump(): all that a failing guest's CPU holds */
int kvmkit_arch_vcpu_fdump(struct kvmkit_vcpu *vcpu, FILE *f)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	char text[2048];
	int ret;

	ret = kvmkit_vcpu_get_regs(vcpu, &regs);
	if (!ret)
		ret = kvmkit_vcpu_get_sregs(vcpu, &sregs);
	if (ret) {
		fprintf(f, "registers unavailable: %s\n", vcpu->err);
		return ret;
	}
	kvmkit_x86_format_regs(&regs, &sregs, text, sizeof(text));
	fputs(text, f);
	fdump_segment(f, "CS", &sregs.cs);
	fdump_segment(f, "SS", &sregs.ss);
	fdump_segment(f, "DS", &sregs.ds);
	fdump_segment(f, "ES", &sregs.es);
	fdump_segment(f, "FS", &sregs.fs);
	fdump_segment(f, "GS", &sregs.gs);
	fdump_segment(f, "TR", &sregs.tr);
	fdump_segment(f, "LDT", &sregs.ldt);
	fprintf(f, "CR8 0x%llx  APIC_BASE 0x%llx  EFER%s%s%s%s\n",
		(unsigned long long)sregs.cr8,
		(unsigned long long)sregs.apic_base,
		sregs.efer & (1u << 0) ? " SCE" : "",
		sregs.efer & (1u << 8) ? " LME" : "",
		sregs.efer & (1u << 10) ? " LMA" : "",
		sregs.efer & (1u << 11) ? " NXE" : "");
	return 0;
}
