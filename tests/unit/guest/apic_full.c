// SPDX-License-Identifier: MIT
/*
 * Guest runtime: apic.c's checks with the full in-kernel irqchip
 * (KVM_CREATE_IRQCHIP: LAPIC, PIC and IOAPIC in the kernel).
 */
#define APIC_IRQCHIP TST_KVM_IRQCHIP_FULL
#define APIC_DESC "KVM_CREATE_IRQCHIP"
/* both halves are apic.c's (kvmkit-cc looks for the sections here) */
#ifdef COMPILE_PAYLOAD
#include "apic.c"
#else /* COMPILE_PAYLOAD */
#include "apic.c"
#endif /* COMPILE_PAYLOAD */
