/* SPDX-License-Identifier: MIT */
#ifndef TST_CPU_H__
#define TST_CPU_H__

long tst_ncpus(void);		/* online */
long tst_ncpus_conf(void);	/* configured */
long tst_ncpus_available(void);	/* in this process's affinity mask */

#endif /* TST_CPU_H__ */
