#!/bin/sh
# Hostile-guest checks: run each binary given (build/tests/unit/hostile/*)
# and compare how it ended with what its source promises.
#
#   sh tests/unit/hostile/check.sh build/tests/unit/hostile/*
#
# Every source tests/unit/hostile/NAME.c carries one or more lines
#
#   /* kvmkit-expect: exit=2 timeout=10 env=KVMKIT_TIMEOUT=1 match=REGEX */
#
# exit=N[,M]  the exit status(es) the binary may end with (required, once)
# timeout=S   seconds before the binary is killed and the check fails (20)
# env=K=V     environment for the binary (repeatable, no spaces)
# arg=A       command-line argument for the binary (repeatable, no spaces)
# count=N     the match= on the same line must hit exactly N lines
# match=RE    an extended regex some output line must match; it runs to
#             the end of the comment, so it comes last on its line
# nomatch=RE  an extended regex no output line may match (same rule)
#
# Each test also carries the tag { "hostile", "VERDICT" } in its struct
# tst_test (VERDICT: exit= in LTP's names, TBROK, TFAIL|TWARN, TPASS,TCONF),
# so that kvmkit-run --tag hostile --list selects and describes them; this
# script checks that the tag says what exit= says.
#
# stdout and stderr are checked together.  One line per test; exit status
# 0 when every test ended as promised (or all were skipped for want of
# /dev/kvm, said with the count), 1 otherwise.
here=$(cd "$(dirname "$0")" && pwd)

# kvmkit-run selects every one of them by the tag (no KVM needed for that;
# skipped inside kvmkit-vm, where each --meta costs 0.2 s of 9p reads and
# the selection is the same as on the host)
if [ -n "${KVMKIT_IN_VM:-}" ]; then
	echo "hostile: kvmkit-run --tag hostile selection not checked inside kvmkit-vm"
elif [ $# -gt 0 ] && [ -x "${O:-build}/bin/kvmkit-run" ]; then
	listed=$("${O:-build}/bin/kvmkit-run" --list --tag hostile "$@" 2>&1 | grep -c ' hostile=')
	if [ "$listed" != $# ]; then
		echo "FAIL kvmkit-run --list --tag hostile lists $listed of the $# hostile tests"
		exit 1
	fi
fi

# Without KVM every check is a skip, said with its count; it is not a
# failure (make check goes on), and kvmkit-vm is how to run them anyway.
if ! [ -c /dev/kvm ] || ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
	echo "hostile: $# skipped: /dev/kvm is not available (bin/kvmkit-vm runs them in a VM)"
	exit 0
fi
if [ $# -eq 0 ]; then
	echo "usage: check.sh build/tests/unit/hostile/NAME..." >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmkit-hostile.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Parse NAME.c's kvmkit-expect lines into $tmp/rules (one rule a line:
# "m<TAB>RE", "n<TAB>RE" or "c<N><TAB>RE") and the scalars below.  Shell
# builtins only: inside kvmkit-vm under TCG every fork+exec costs ~0.15 s.
ltrim() { r=${1#"${1%%[![:space:]]*}"}; }
rtrim() { r=${1%"${1##*[![:space:]]}"}; }
parse_expect() {
	exit_want= tmo=20 envs= args= tag=
	: > "$tmp/rules"
	found=0
	while IFS= read -r line; do
		case $line in
		*'{ "hostile", "'*)
			tag=${line#*\{ \"hostile\", \"}
			tag=${tag%%\"*}
			continue ;;
		*kvmkit-expect:*) ;;
		*) continue ;;
		esac
		found=1
		rest=${line#*kvmkit-expect:}
		rest=${rest%\*/*}
		cnt=
		while :; do
			ltrim "$rest"; rest=$r
			[ -n "$rest" ] || break
			case $rest in
			match=*|nomatch=*)
				rtrim "${rest#*=}"; re=$r
				case $rest in
				match=*) kind=m${cnt:+c} ;;
				*) kind=n ;;
				esac
				[ "$kind" = mc ] && kind=c$cnt
				printf '%s\t%s\n' "$kind" "$re" >> "$tmp/rules"
				break ;;
			esac
			tok=${rest%%[[:space:]]*}
			rest=${rest#"$tok"}
			case $tok in
			exit=*) exit_want=${tok#exit=} ;;
			timeout=*) tmo=${tok#timeout=} ;;
			env=*) envs="$envs ${tok#env=}" ;;
			arg=*) args="$args ${tok#arg=}" ;;
			count=*) cnt=${tok#count=} ;;
			*) echo "bad kvmkit-expect token '$tok' in $1" >&2; return 1 ;;
			esac
		done
	done < "$1"
	[ "$found" = 1 ] && [ -n "$exit_want" ]
}

# exit=2 -> TBROK, exit=5 -> TFAIL|TWARN, exit=0,32 -> TPASS,TCONF
verdicts() {
	v= rest=$1,
	while [ -n "$rest" ]; do
		c=${rest%%,*} rest=${rest#*,} one=
		[ "$c" = 0 ] && one=TPASS
		[ $((c & 1)) = 0 ] || one=${one:+$one|}TFAIL
		[ $((c & 2)) = 0 ] || one=${one:+$one|}TBROK
		[ $((c & 4)) = 0 ] || one=${one:+$one|}TWARN
		[ $((c & 32)) = 0 ] || one=${one:+$one|}TCONF
		v=${v:+$v,}$one
	done
}

# Milliseconds since boot, without a fork (centisecond resolution)
now_ms() { read -r up _ < /proc/uptime; ms=${up%.*}${up#*.}0; ms=${ms#"${ms%%[!0]*}"}; ms=${ms:-0}; }

total=0 failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	src=$here/$name.c
	total=$((total + 1))
	if ! [ -x "$bin" ] || ! parse_expect "$src"; then
		echo "FAIL $name: missing binary or no valid kvmkit-expect line in $src"
		failed=$((failed + 1))
		continue
	fi

	now_ms; t0=$ms
	# shellcheck disable=SC2086 # envs and args are space-free words
	env $envs timeout -k 2 "$tmo" "$bin" $args > "$tmp/out" 2>&1 < /dev/null
	rc=$?
	now_ms; ms=$((ms - t0))

	why=
	verdicts "$exit_want"
	[ "$tag" = "$v" ] || why="tag hostile=\"$tag\" in the source, but exit=$exit_want is $v; "
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		why="${why}killed after ${tmo}s (exit $rc), expected exit $exit_want"
	else
		case ",$exit_want," in
		*",$rc,"*) ;;
		*) why="${why}exit $rc, expected $exit_want" ;;
		esac
	fi
	while IFS="$(printf '\t')" read -r kind re; do
		case $kind in
		m) grep -Eq -- "$re" "$tmp/out" || why="$why${why:+; }no line matches /$re/" ;;
		n) ! grep -Eq -- "$re" "$tmp/out" || why="$why${why:+; }a line matches /$re/" ;;
		c*) n=$(grep -Ec -- "$re" "$tmp/out")
		    [ "$n" -eq "${kind#c}" ] || why="$why${why:+; }$n lines match /$re/, expected ${kind#c}" ;;
		esac
	done < "$tmp/rules"

	if [ -z "$why" ]; then
		echo "PASS $name (exit $rc, ${ms} ms)"
	else
		failed=$((failed + 1))
		echo "FAIL $name (${ms} ms): $why"
		# The tail is what tells a wrong verdict from a wrong message
		tail -n 8 "$tmp/out" | cut -c1-200 | sed 's/^/    | /'
	fi
done

echo "hostile: $((total - failed))/$total ended as expected"
[ "$failed" -eq 0 ]
