#!/bin/sh
# make_samples.sh: regenerate samples/alb/ from bench/gen_alb.c, byte for
# byte, and check that the sample set still holds every edge case.
#
# usage: bench/make_samples.sh           rewrite samples/alb/AWSLogs
#        bench/make_samples.sh --check   regenerate into a temp dir and
#                                        compare with the committed files
# env:   CC      compiler for the generator (default cc)
#        EL_GEN  use this el_gen_alb binary instead of compiling one
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dest=$root/samples/alb
mode="write"
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "make_samples.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/el_samples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

gen=${EL_GEN:-}
if [ -z "$gen" ]; then
    gen=$tmp/el_gen_alb
    "${CC:-cc}" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -pthread \
        "$here/gen_alb.c" -o "$gen" -lz -lm
fi

# The sample set: 3,000 lines over 17:30-17:45 UTC (the ten minutes of the
# push campaign and five after it), 2 load balancer nodes x 3 five-minute
# files, two forced lines of every rare kind, 3 % of lines with the three
# transform fields.
generate() {
    "$gen" --lines 3000 --seed 20260310 --date 2026-03-10 --start 17:30 --minutes 15 \
        --layout s3 --files 6 --showcase --trailing-pct 3 --out "$1"
}

# Every case the samples promise (docs/SAMPLES.md), as an extended regex
# over the decompressed lines, and the smallest count accepted.
check_coverage() {
    all=$tmp/all.txt
    find "$1" -name '*.log.gz' | LC_ALL=C sort | xargs gzip -dc > "$all"
    fail=0
    while IFS='|' read -r name pattern; do
        [ -n "$name" ] || continue
        n=$(grep -c -E -e "$pattern" "$all" || true)
        printf '  %-32s %5d\n' "$name" "$n"
        [ "$n" -gt 0 ] || fail=1
    done <<'EOF'
h2|^h2 
https|^https 
http|^http 
wss 101|^wss .* 101 101 
ws 101|^ws .* 101 101 
IPv6 client (unbracketed)|^[a-z0-9]+ [^ ]+ [^ ]+ [0-9a-f]+:[0-9a-f:]+:[0-9]+ 
IP target|^[^ ]+ [^ ]+ [^ ]+ [^ ]+ 10\.0\.[0-9]+\.[0-9]+:8080 
Lambda ok (target -, lists "-")|^[^ ]+ [^ ]+ [^ ]+ [^ ]+ - [0-9.]+ [0-9.]+ [0-9.]+ 200 200 .*"-" "-" "-" "-" TID_
function 500|[0-9] 500 500 
function 400|[0-9] 400 400 
function 401|[0-9] 401 401 
function 403|[0-9] 403 403 
function 404|[0-9] 404 404 
function 429|[0-9] 429 429 
502 LambdaUnhandled| 502 - .*"LambdaUnhandled"
502 Lambda 30 s timeout| 30\.0[0-9][0-9] [0-9.]+ 502 - .*"LambdaUnhandled"
502 LambdaInvalidResponse| 502 - .*"LambdaInvalidResponse"
502 LambdaResponseTooLarge| 502 - .*"LambdaResponseTooLarge"
413 LambdaRequestTooLarge| -1 -1 -1 413 - .*"LambdaRequestTooLarge"
503 LambdaThrottling| 503 - .*"LambdaThrottling"
503 no healthy target| -1 -1 -1 503 - 
504 -1 -1 -1| -1 -1 -1 504 - 
460 client closed| -1 -1 -1 460 - 
403 WAF block| -1 -1 -1 403 - .*"waf" "-" "-"
401 authenticate| -1 -1 -1 401 - .*"waf,authenticate" "-" "Auth[A-Za-z]+"
404 fixed-response| -1 -1 -1 404 - .*"waf,fixed-response"
301 redirect| -1 -1 -1 301 - .*"waf,redirect" "https://
400 malformed| -1 -1 -1 400 - [0-9]+ [0-9]+ "- https?://[^ ]+- -"
SpaceInUri| "Acceptable" "SpaceInUri" TID_
Ambiguous| "Ambiguous" "[A-Za-z]+" TID_
waf-failed| "waf-failed,forward" "-" "WAF[A-Za-z]+"
session-reused| "session-reused" 
Self;Root trace| "Self=1-[0-9a-f]+-[0-9a-f]+;Root=1-
user agent with \x22| "[^"]*\\x22[^"]*" 
user agent with \x5c| "[^"]*\\x5c[^"]*" 
raw UTF-8 as \xHH|\\x[CD][0-9A-F]\\x[89AB][0-9A-F]
trailing transform fields| TID_[0-9a-f]+ "-" "-" "-"$
no trailing fields| TID_[0-9a-f]+$
EOF
    fields=$(awk -F'"' '{ print NF }' "$all" | sort -u | tr '\n' ' ')
    printf '  %-32s %s\n' "quote-delimited pieces per line" "$fields"
    lines=$(wc -l < "$all")
    printf '  %-32s %5d\n' "lines" "$lines"
    [ "$fail" -eq 0 ] || { echo "make_samples.sh: a promised case is missing" >&2; exit 1; }
}

if [ "$mode" = check ]; then
    generate "$tmp/alb"
    if diff -r "$tmp/alb" "$dest" > /dev/null; then
        echo "samples/alb: up to date (byte-identical)"
    else
        # deflate output may change with the zlib version; the names and
        # the decompressed lines must not
        (cd "$tmp/alb" && find . -type f | LC_ALL=C sort) > "$tmp/names.new"
        (cd "$dest" && find . -type f | LC_ALL=C sort) > "$tmp/names.old"
        if ! cmp -s "$tmp/names.new" "$tmp/names.old"; then
            echo "samples/alb: file names differ from a fresh generation:" >&2
            diff "$tmp/names.old" "$tmp/names.new" >&2 || true
            exit 1
        fi
        while read -r f; do
            case "$f" in
                *.gz) gzip -dc "$tmp/alb/$f" > "$tmp/a"; gzip -dc "$dest/$f" > "$tmp/b" ;;
                *) cp "$tmp/alb/$f" "$tmp/a"; cp "$dest/$f" "$tmp/b" ;;
            esac
            if ! cmp -s "$tmp/a" "$tmp/b"; then
                echo "samples/alb: $f: content differs from a fresh generation" >&2
                exit 1
            fi
        done < "$tmp/names.new"
        echo "samples/alb: same lines, but the gzip bytes differ (another zlib version?)"
    fi
    check_coverage "$dest"
else
    rm -rf "$dest/AWSLogs"
    mkdir -p "$dest"
    generate "$dest"
    echo "samples/alb: regenerated"
    check_coverage "$dest"
fi
