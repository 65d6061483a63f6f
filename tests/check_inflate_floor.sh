#!/bin/sh
# check_inflate_floor.sh: el_inflate_floor (bench/inflate_floor.c) counts
# exactly the bytes zcat gives, on one file, on several files over threads
# and on concatenated gzip members, with every backend it has; and a file
# that is not gzip fails (exit 1) naming it.
#
# usage: tests/check_inflate_floor.sh EL_INFLATE_FLOOR SAMPLES_DIR
set -eu
floor=$1 samples=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/el_floor.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

find "$samples/alb" -name '*.log.gz' | LC_ALL=C sort > "$tmp/files"
[ -s "$tmp/files" ] || { echo "no .log.gz under $samples/alb" >&2; exit 1; }
first=$(head -n 1 "$tmp/files")
cat "$first" "$first" > "$tmp/two-members.gz"
printf 'not gzip\n' > "$tmp/plain.log"

fail=0
check() { # WHAT WANT GOT
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: zcat gives $2 bytes, el_inflate_floor $3" >&2
        fail=1
    fi
}
for b in zlib isal; do
    "$floor" --has "$b" || continue
    check "$b, one file" "$(zcat "$first" | wc -c | tr -d ' ')" "$("$floor" --inflate "$b" "$first")"
    # shellcheck disable=SC2046  # the sample paths hold no spaces
    check "$b, every file, 2 threads" "$(zcat $(cat "$tmp/files") | wc -c | tr -d ' ')" \
        "$("$floor" --inflate "$b" --threads 2 $(cat "$tmp/files"))"
    check "$b, two members" "$(zcat "$tmp/two-members.gz" | wc -c | tr -d ' ')" \
        "$("$floor" --inflate "$b" "$tmp/two-members.gz")"
    rc=0
    "$floor" --inflate "$b" "$tmp/plain.log" > /dev/null 2> "$tmp/err" || rc=$?
    if [ "$rc" -ne 1 ] || ! grep -q "plain.log: not gzip" "$tmp/err"; then
        echo "FAIL: $b, plain file: exit $rc, stderr: $(cat "$tmp/err")" >&2
        fail=1
    fi
    echo "ok: $b"
done
exit "$fail"
