/* SPDX-License-Identifier: MIT */
/* Kernel modules: find, load, unload, reload with parameters */
#ifndef TST_MODULE_H
#define TST_MODULE_H

#include <stdbool.h>

/*
 * TCONF unless mod_name can be loaded: a .ko file in the working or test
 * directory (its path in *mod_path, malloc'ed), or a module the kernel
 * knows (loaded, built in, or listed in modules.dep).
 */
void tst_module_exists_(void (cleanup_fn)(void), const char *mod_name,
			char **mod_path);
static inline void tst_module_exists(const char *mod_name, char **mod_path)
{
	tst_module_exists_(NULL, mod_name, mod_path);
}

/* insmod a .ko file, modprobe a module name; argv: parameters */
void tst_module_load_(void (cleanup_fn)(void), const char *mod_name,
		      char *const argv[]);
static inline void tst_module_load(const char *mod_name, char *const argv[])
{
	tst_module_load_(NULL, mod_name, argv);
}

/* rmmod, retried while the module is busy */
void tst_module_unload_(void (cleanup_fn)(void), const char *mod_name);
static inline void tst_module_unload(const char *mod_name)
{
	tst_module_unload_(NULL, mod_name);
}

void tst_modprobe(const char *mod_name, char *const argv[]);
/* unload, then modprobe with argv */
void tst_module_reload(const char *mod_name, char *const argv[]);

bool tst_module_signature_enforced_(void);
static inline bool tst_module_signature_enforced(void)
{
	return tst_module_signature_enforced_();
}

void tst_requires_module_signature_disabled_(void);
static inline void tst_requires_module_signature_disabled(void)
{
	tst_requires_module_signature_disabled_();
}

/* 0 when the driver is loaded, built in or loadable (as needs_drivers) */
int tst_check_driver(const char *driver);

#endif /* TST_MODULE_H */
