/* SPDX-License-Identifier: MIT */
/*
 * The JSON kvmkit-run reads and writes: a test's --meta line in (a small
 * strict parser, bounded depth, no library) and JSON strings out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

#define MAX_DEPTH	32

struct jp {
	const char *s, *end;
};

static void ws(struct jp *p)
{
	while (p->s < p->end && strchr(" \t\r\n", *p->s))
		p->s++;
}

static int eat(struct jp *p, char c)
{
	ws(p);
	if (p->s < p->end && *p->s == c) {
		p->s++;
		return 1;
	}
	return 0;
}

static int hex4(const char *s, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | cp >> 12;
		o[1] = 0x80 | (cp >> 6 & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | cp >> 18;
	o[1] = 0x80 | (cp >> 12 & 0x3f);
	o[2] = 0x80 | (cp >> 6 & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A string, decoded into *out (malloc'ed) unless out is NULL */
static int string(struct jp *p, char **out)
{
	char *buf = NULL, *o;

	if (!eat(p, '"'))
		return -EINVAL;
	/* decoding never grows: \uXXXX (6 bytes) is at most 4 of UTF-8 */
	if (out) {
		buf = malloc(p->end - p->s + 1);
		if (!buf)
			return -ENOMEM;
	}
	o = buf;
	while (p->s < p->end && *p->s != '"') {
		char c = *p->s++;
		unsigned int cp;

		if ((unsigned char)c < 0x20)
			goto bad;
		if (c != '\\') {
			if (o)
				*o++ = c;
			continue;
		}
		if (p->s >= p->end)
			goto bad;
		c = *p->s++;
		switch (c) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case '"': case '\\': case '/': break;
		case 'u':
			if (p->end - p->s < 4 || hex4(p->s, &cp))
				goto bad;
			p->s += 4;
			/* a lone surrogate cannot be UTF-8: keep a '?' */
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = '?';
			if (o)
				o += put_utf8(o, cp);
			continue;
		default:
			goto bad;
		}
		if (o)
			*o++ = c;
	}
	if (p->s >= p->end)
		goto bad;
	p->s++;
	if (out) {
		*o = 0;
		*out = buf;
	}
	return 0;
bad:
	free(buf);
	return -EINVAL;
}

static int skip_value(struct jp *p, int depth);

static int skip_container(struct jp *p, char close, int depth)
{
	int first = 1;

	if (depth > MAX_DEPTH)
		return -EINVAL;
	while (!eat(p, close)) {
		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		if (close == '}') {
			if (string(p, NULL) || !eat(p, ':'))
				return -EINVAL;
		}
		if (skip_value(p, depth + 1))
			return -EINVAL;
	}
	return 0;
}

static int skip_value(struct jp *p, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i;

	ws(p);
	if (p->s >= p->end)
		return -EINVAL;
	if (*p->s == '"')
		return string(p, NULL);
	if (eat(p, '{'))
		return skip_container(p, '}', depth);
	if (eat(p, '['))
		return skip_container(p, ']', depth);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(p->end - p->s) >= n && !memcmp(p->s, words[i], n)) {
			p->s += n;
			return 0;
		}
	}
	if (*p->s != '-' && (*p->s < '0' || *p->s > '9'))
		return -EINVAL;
	while (p->s < p->end && strchr("+-0123456789.eE", *p->s))
		p->s++;
	return 0;
}

/* A string or null into *out */
static int string_or_null(struct jp *p, char **out)
{
	ws(p);
	if ((size_t)(p->end - p->s) >= 4 && !memcmp(p->s, "null", 4)) {
		p->s += 4;
		return 0;
	}
	return string(p, out);
}

static int tag(struct jp *p, struct tag *t)
{
	int first = 1, ret;

	if (!eat(p, '{'))
		return -EINVAL;
	while (!eat(p, '}')) {
		char *key, **dst = NULL;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		ret = string(p, &key);
		if (ret)
			return ret;
		if (!strcmp(key, "name"))
			dst = &t->name;
		else if (!strcmp(key, "value"))
			dst = &t->value;
		free(key);
		if (!eat(p, ':'))
			return -EINVAL;
		if (dst && *dst)
			return -EINVAL;	/* a key twice */
		ret = dst ? string_or_null(p, dst) : skip_value(p, 2);
		if (ret)
			return ret;
	}
	return t->name ? 0 : -EINVAL;
}

static int tags(struct jp *p, struct meta *m)
{
	int first = 1, ret;

	if (!eat(p, '['))
		return -EINVAL;
	while (!eat(p, ']')) {
		struct tag *v;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		v = realloc(m->tags, (m->ntags + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->tags = v;
		memset(&v[m->ntags], 0, sizeof(*v));
		ret = tag(p, &v[m->ntags++]);
		if (ret)
			return ret;
	}
	return 0;
}

static int boolean(struct jp *p, int *v)
{
	ws(p);
	if (p->end - p->s >= 4 && !memcmp(p->s, "true", 4)) {
		p->s += 4;
		*v = 1;
		return 0;
	}
	if (p->end - p->s >= 5 && !memcmp(p->s, "false", 5)) {
		p->s += 5;
		*v = 0;
		return 0;
	}
	return -EINVAL;
}

/* A non-negative integer (what the needs hold) */
static int number(struct jp *p, unsigned long *v)
{
	unsigned long n = 0;
	const char *start;

	ws(p);
	start = p->s;
	while (p->s < p->end && *p->s >= '0' && *p->s <= '9') {
		if (n > ((unsigned long)-1 - 9) / 10)
			return -EINVAL;
		n = n * 10 + (*p->s++ - '0');
	}
	if (p->s == start)
		return -EINVAL;
	*v = n;
	return 0;
}

static int strings(struct jp *p, char ***v, size_t *n)
{
	int first = 1, ret;

	if (*v || !eat(p, '['))
		return -EINVAL;
	while (!eat(p, ']')) {
		char **nv;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		ret = string(p, &nv[*n]);
		if (ret)
			return ret;
		(*n)++;
	}
	return 0;
}

static int need(struct jp *p, struct needs *n, const char *key)
{
	if (!strcmp(key, "vcpus"))
		return number(p, &n->vcpus);
	if (!strcmp(key, "mem_mb"))
		return number(p, &n->mem_mb);
	if (!strcmp(key, "min_cpus"))
		return number(p, &n->min_cpus);
	if (!strcmp(key, "min_mem_avail_mb"))
		return number(p, &n->min_mem_avail_mb);
	if (!strcmp(key, "nested"))
		return boolean(p, &n->nested);
	if (!strcmp(key, "root"))
		return boolean(p, &n->root);
	if (!strcmp(key, "cpu_features"))
		return strings(p, &n->cpu_features, &n->ncpu_features);
	if (!strcmp(key, "kvm_caps"))
		return strings(p, &n->kvm_caps, &n->nkvm_caps);
	return skip_value(p, 2);
}

static int needs(struct jp *p, struct needs *n)
{
	int first = 1, ret;

	if (!eat(p, '{'))
		return -EINVAL;
	while (!eat(p, '}')) {
		char *key;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		ret = string(p, &key);
		if (ret)
			return ret;
		ret = eat(p, ':') ? need(p, n, key) : -EINVAL;
		free(key);
		if (ret)
			return ret;
	}
	return 0;
}

/* "timeout":{"guest_s":5,"overall_s":35}: the seconds the test declares */
static int timeouts(struct jp *p, struct meta *m)
{
	int first = 1, ret;

	if (!eat(p, '{'))
		return -EINVAL;
	while (!eat(p, '}')) {
		char *key;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		ret = string(p, &key);
		if (ret)
			return ret;
		if (!eat(p, ':'))
			ret = -EINVAL;
		else if (!strcmp(key, "overall_s"))
			ret = number(p, &m->overall_s);
		else if (!strcmp(key, "guest_s"))
			ret = number(p, &m->guest_s);
		else
			ret = skip_value(p, 2);
		if (!ret && !strcmp(key, "overall_s"))
			m->has_timeout = 1;
		free(key);
		if (ret)
			return ret;
	}
	return 0;
}

static int member(struct jp *p, struct meta *m, const char *key)
{
	if (!strcmp(key, "timeout"))
		return timeouts(p, m);
	if (!strcmp(key, "needs"))
		return needs(p, &m->needs);
	if (!strcmp(key, "tconf") && !m->tconf)
		return string_or_null(p, &m->tconf);
	if (!strcmp(key, "name") && !m->name)
		return string(p, &m->name);
	if (!strcmp(key, "description") && !m->desc)
		return string_or_null(p, &m->desc);
	if (!strcmp(key, "tags") && !m->tags)
		return tags(p, m);
	return skip_value(p, 1);
}

int json_parse_meta(const char *buf, size_t len, struct meta *m)
{
	struct jp p = { buf, buf + len };
	int first = 1, ret;

	if (!eat(&p, '{'))
		return -EINVAL;
	while (!eat(&p, '}')) {
		char *key;

		if (!first && !eat(&p, ','))
			return -EINVAL;
		first = 0;
		ret = string(&p, &key);
		if (ret)
			return ret;
		ret = eat(&p, ':') ? member(&p, m, key) : -EINVAL;
		free(key);
		if (ret)
			return ret;
	}
	ws(&p);
	return p.s == p.end && m->name ? 0 : -EINVAL;
}

void json_put_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Arbitrary bytes (test output) as a JSON string: invalid UTF-8 as '?' */
void json_put_bytes(FILE *f, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else {
			size_t n = utf8_len((const unsigned char *)buf + i, len - i);

			if (!n) {
				fputc('?', f);
				continue;
			}
			fwrite(buf + i, 1, n, f);
			i += n - 1;
		}
	}
}

/* One record of a results file: what --rerun-failed needs of it */
struct result_rec {
	char *name, *path, *verdict;
	int known, strict_skip;
};

static int result_member(struct jp *p, struct result_rec *r, const char *key)
{
	if (!strcmp(key, "name") && !r->name)
		return string(p, &r->name);
	if (!strcmp(key, "path") && !r->path)
		return string(p, &r->path);
	if (!strcmp(key, "verdict") && !r->verdict)
		return string(p, &r->verdict);
	if (!strcmp(key, "strict_skip"))
		return boolean(p, &r->strict_skip);
	if (!strcmp(key, "known")) {
		ws(p);
		r->known = !(p->end - p->s >= 4 && !memcmp(p->s, "null", 4));
	}
	return skip_value(p, 3);
}

static int result(struct jp *p, struct result_rec *r)
{
	int first = 1, ret;

	if (!eat(p, '{'))
		return -EINVAL;
	while (!eat(p, '}')) {
		char *key;

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		ret = string(p, &key);
		if (ret)
			return ret;
		ret = eat(p, ':') ? result_member(p, r, key) : -EINVAL;
		free(key);
		if (ret)
			return ret;
	}
	return r->name && r->verdict ? 0 : -EINVAL;
}

/* A record that made its run fail: FAIL, BROK, not run, a --strict skip */
static int rec_failed(const struct result_rec *r)
{
	if (r->known)
		return 0;
	return !strcmp(r->verdict, "FAIL") || !strcmp(r->verdict, "BROK") ||
	       !strcmp(r->verdict, "NOTRUN") || r->strict_skip;
}

static int results(struct jp *p, json_failed_fn fn, void *ctx)
{
	int first = 1, ret = 0;

	if (!eat(p, '['))
		return -EINVAL;
	while (!ret && !eat(p, ']')) {
		struct result_rec r = { 0 };

		if (!first && !eat(p, ','))
			return -EINVAL;
		first = 0;
		ret = result(p, &r);
		if (!ret && rec_failed(&r))
			ret = fn(ctx, r.name, r.path);
		free(r.name);
		free(r.path);
		free(r.verdict);
	}
	return ret;
}

int json_parse_results(const char *buf, size_t len, json_failed_fn fn, void *ctx)
{
	struct jp p = { buf, buf + len };
	int first = 1, ret, format = 0, tests = 0;

	if (!eat(&p, '{'))
		return -EINVAL;
	while (!eat(&p, '}')) {
		char *key, *val = NULL;

		if (!first && !eat(&p, ','))
			return -EINVAL;
		first = 0;
		ret = string(&p, &key);
		if (ret)
			return ret;
		if (!eat(&p, ':'))
			ret = -EINVAL;
		else if (!strcmp(key, "format")) {
			ret = string(&p, &val);
			format = !ret && !strcmp(val, "kvmkit-run-results-1");
			free(val);
		} else if (!strcmp(key, "tests") && format) {
			ret = results(&p, fn, ctx);
			tests = 1;
		} else {
			ret = skip_value(&p, 1);
		}
		free(key);
		if (ret)
			return ret;
	}
	return format && tests ? 0 : -EINVAL;
}
