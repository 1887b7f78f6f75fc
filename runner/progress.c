/* SPDX-License-Identifier: MIT */
/*
 * The live progress line on a terminal: counts so far and the tests
 * running, redrawn in place ("\r" + erase to end of line), and erased
 * before anything else is printed, so a result line never lands in the
 * middle of it.  Only when stdout is a terminal that understands the
 * erase (TERM set, not "dumb") and carries the human report: never in a
 * pipe, a file, a CI log, or under --tap/--ktap (see progress_wanted()).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "runner.h"

#define ERASE		"\r\033[K"
#define REDRAW_MS	250	/* the running times tick at this pace */

/*
 * KVMKIT_RUN_PROGRESS=0 or 1 decides; else a terminal with a TERM that
 * erases, but not inside kvmkit-vm (KVMKIT_IN_VM): there stdout is a
 * serial line, a tty even when the host's output goes to a log, so
 * kvmkit-run --vm passes KVMKIT_RUN_PROGRESS=1 when it has a terminal.
 */
int progress_wanted(const struct options *opt)
{
	const char *term = getenv("TERM");
	const char *force = getenv("KVMKIT_RUN_PROGRESS");

	if (opt->tap || opt->ktap || !isatty(STDOUT_FILENO))
		return 0;
	if (force && *force)
		return strcmp(force, "0") != 0;
	if (getenv("KVMKIT_IN_VM"))
		return 0;
	return term && *term && strcmp(term, "dumb");
}

static int columns(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Appends to buf what fits in width columns (ASCII: test names are) */
static void add(char *buf, size_t *len, size_t width, const char *s)
{
	size_t n = strlen(s);

	if (*len >= width)
		return;
	if (n > width - *len)
		n = width - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = 0;
}

void progress_draw(struct progress *p, FILE *f, const struct test_list *l,
		   int force)
{
	size_t count[V_COUNT] = { 0 }, done = 0, i, len = 0, width;
	struct timespec now;
	char buf[512], word[160];

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && p->drawn && ts_diff(&now, &p->last) * 1000 < REDRAW_MS)
		return;
	p->last = now;
	width = columns() - 1;	/* the last column would wrap on some terminals */
	if (width >= sizeof(buf))
		width = sizeof(buf) - 1;
	for (i = 0; i < l->n; i++) {
		if (l->v[i].finished) {
			count[l->v[i].verdict]++;
			done++;
		}
	}
	buf[0] = 0;
	snprintf(word, sizeof(word), "[%zu/%zu] %zu passed", done, l->n, count[V_PASS]);
	add(buf, &len, width, word);
	if (count[V_FAIL] + count[V_BROK]) {
		snprintf(word, sizeof(word), ", %zu failed", count[V_FAIL] + count[V_BROK]);
		add(buf, &len, width, word);
	}
	if (count[V_CONF]) {
		snprintf(word, sizeof(word), ", %zu skipped", count[V_CONF]);
		add(buf, &len, width, word);
	}
	add(buf, &len, width, " | running:");
	for (i = 0; i < l->n; i++) {
		const struct test *t = &l->v[i];

		if (!t->running)
			continue;
		snprintf(word, sizeof(word), " %s (%.1f s)", t->name,
			 ts_diff(&now, &t->start));
		add(buf, &len, width, word);
	}
	fprintf(f, ERASE "%s", buf);
	fflush(f);
	p->drawn = 1;
}

void progress_erase(struct progress *p, FILE *f)
{
	if (!p->on || !p->drawn)
		return;
	fputs(ERASE, f);
	fflush(f);
	p->drawn = 0;
}
