// SPDX-License-Identifier: MIT
/*
 * `test --meta`: the test describes itself in one line of JSON and exits 0
 * without opening /dev/kvm, so that kvmkit-run can list and select tests
 * by name, tag and needs without running them.  The "format" field is
 * also the marker kvmkit-run looks for in a binary before it dares to
 * start it with --meta (a shell script would simply run).
 */
#include <stdio.h>
#include <stdlib.h>

#define TST_NO_DEFAULT_MAIN
#include "ltp_private.h"

#define TST_META_FORMAT	"kvmkit-meta-1"

/*
 * The same marker as an ELF note (owner "kvmkit", type 1, descriptor
 * the format), so that kvmkit-run finds it in the program headers, a few
 * hundred bytes, instead of reading the whole binary: on kvmkit-vm's 9p
 * root a 1.6 MB test costs 0.2 s to read.  Linked in with
 * tst_run_tcases(); linkers keep note sections under --gc-sections.
 */
__asm__(".pushsection .note.kvmkit, \"a\", @note\n"
	".balign 4\n"
	".long 7\n"			/* namesz: "kvmkit" and its NUL */
	".long 2f - 1f\n"		/* descsz */
	".long 1\n"			/* type */
	".asciz \"kvmkit\"\n"
	".balign 4\n"
	"1: .asciz \"" TST_META_FORMAT "\"\n"
	"2: .balign 4\n"
	".popsection");

/* A JSON string: quotes, backslashes and control characters escaped */
static void put_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void put_strv(const char *key, const char *const *v)
{
	printf(",\"%s\":[", key);
	for (; v && *v; v++) {
		put_str(*v);
		if (v[1])
			putchar(',');
	}
	putchar(']');
}

static void put_tags(const struct tst_tag *tag)
{
	fputs(",\"tags\":[", stdout);
	for (; tag && tag->name; tag++) {
		fputs("{\"name\":", stdout);
		put_str(tag->name);
		fputs(",\"value\":", stdout);
		put_str(tag->value);
		putchar('}');
		if (tag[1].name)
			putchar(',');
	}
	putchar(']');
}

/* The kvmkit needs and the LTP requirements that say where a test runs */
static void put_needs(const struct tst_test *t)
{
	const struct tst_kvmkit_needs *n = t->kvmkit_needs;

	fputs(",\"needs\":{", stdout);
	printf("\"vcpus\":%u,\"mem_mb\":%lu,\"nested\":%s",
	       n && n->vcpus ? n->vcpus : 1, n ? n->mem_mb : 0,
	       n && n->nested ? "true" : "false");
	put_strv("cpu_features", n ? n->cpu_features : NULL);
	put_strv("kvm_caps", n ? n->kvm_caps : NULL);
	printf(",\"root\":%s,\"min_cpus\":%lu,\"min_mem_avail_mb\":%lu",
	       t->needs_root ? "true" : "false", t->min_cpus, t->min_mem_avail);
	put_strv("kconfigs", t->needs_kconfigs);
	put_strv("drivers", t->needs_drivers);
	put_strv("archs", t->supported_archs);
	putchar('}');
}

void tst_print_meta(const char *argv0)
{
	const char *name = argv0 && *argv0 ? argv0 : "test";

	if (strrchr(name, '/'))
		name = strrchr(name, '/') + 1;
	fputs("{\"format\":\"" TST_META_FORMAT "\",\"name\":", stdout);
	put_str(name);
	fputs(",\"description\":", stdout);
	put_str(tst_test->kvmkit_desc);
	put_tags(tst_test->tags);
	put_needs(tst_test);
	/* the timeouts this test gets without -T, KVMKIT_TIMEOUT or a multiplier */
	printf(",\"timeout\":{\"guest_s\":%u,\"overall_s\":%u}",
	       tst_kvmkit_guest_timeout_s(), tst_overall_timeout_s());
	if (tst_test->tconf_msg) {
		fputs(",\"tconf\":", stdout);
		put_str(tst_test->tconf_msg);
	}
	fputs("}\n", stdout);
	exit(fflush(stdout) ? TBROK : 0);
}
