#!/bin/sh
# Usage: check-exports.sh LIB.so HEADER...
# Fail unless the shared library's dynamic symbol table holds exactly the
# functions the public headers declare: nothing internal leaks out
# (kvmkit_set_error, the guest readers, the printf core...), and nothing
# public was left hidden by -fvisibility=hidden.
set -eu
lib=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Declarations with /* */ comments stripped, so a name only mentioned in
# a comment does not count (awk: the same with any compiler).
awk '{
	line = $0; out = ""
	while (line != "") {
		if (inc) {
			i = index(line, "*/")
			if (!i) break
			line = substr(line, i + 2); inc = 0
		} else {
			i = index(line, "/*")
			if (!i) { out = out line; break }
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2); inc = 1
		}
	}
	print out
}' "$@" | grep -o '\bkvmkit_[a-z0-9_]*[[:space:]]*(' | tr -d '( \t' |
	sort -u >"$tmp/declared"
nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sort -u >"$tmp/exported"

status=0
if [ ! -s "$tmp/exported" ]; then
	echo "$lib: exports nothing" >&2
	status=1
fi
extra=$(comm -23 "$tmp/exported" "$tmp/declared")
if [ -n "$extra" ]; then
	echo "$lib: exports symbols no public header declares:" $extra >&2
	status=1
fi
missing=$(comm -13 "$tmp/exported" "$tmp/declared")
if [ -n "$missing" ]; then
	echo "$lib: does not export declared functions:" $missing >&2
	status=1
fi
exit $status
