#!/bin/sh
# bench.sh: time edgelog against the decompression floor (zcat) on a
# synthetic corpus, the way performance-anchors.md measures the anchors:
# warm page cache, runs alternating with zcat, ratios taken pair by pair.
#
# usage: bench/bench.sh [--format alb|exec] [--lines N | --requests N] [--runs R]
#                       [--build DIR] [--anchors]
#   --format F    alb: ALB access log, N lines (el_gen_alb, the default);
#                 exec: API Gateway REST execution log, N requests of ~16
#                 lines each (el_gen_apigw), one stream in one .gz
#   --lines N     corpus size (default 2000000 lines for alb)
#   --requests N  the same for exec (default 1000000 requests)
#   --runs R      timed runs per tool (default 3), after one warm-up zcat
#   --build DIR   CMake build dir with cli/edgelog (default: <repo>/build)
#   --anchors     also time the awk anchor pipeline with mawk (alb only)
# env:  EL_BENCH_DIR     corpus cache (default bench/corpus, git-ignored)
#       EL_ANCHORS_DIR   anchor scripts (default <repo>/../shared/anchors)
#       EL_EDGELOG_ARGS  edgelog arguments before FILE
#                        (default: summary --quiet --output-format csv -o /dev/null)
#       CC               compiler for the generator when DIR has none
# Writes bench/results/latest.tsv (summary) and latest-runs.tsv (each run).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
format=alb
count=
runs=3
build=$root/build
anchors=0

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
    echo "bench.sh: $*" >&2
    exit 2
}

is_count() {
    case "$1" in
        ''|*[!0-9]*|0*) return 1 ;;
    esac
    return 0
}

while [ $# -gt 0 ]; do
    case "$1" in
        --format) [ $# -ge 2 ] || die "--format needs a value"
                 case "$2" in alb|exec) format=$2 ;; *) die "--format: '$2' is not alb or exec" ;; esac
                 shift 2 ;;
        --lines|--requests)
                 [ $# -ge 2 ] || die "$1 needs a value"
                 is_count "$2" || die "$1: '$2' is not a positive integer"
                 count=$2; shift 2 ;;
        --runs)  [ $# -ge 2 ] || die "--runs needs a value"
                 is_count "$2" || die "--runs: '$2' is not a positive integer"
                 runs=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a value"
                 build=$2; shift 2 ;;
        --anchors) anchors=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time"
command -v zcat > /dev/null || die "needs zcat"

case "$build" in /*) ;; *) build=$(pwd)/$build ;; esac
cache=${EL_BENCH_DIR:-$here/corpus}
results=$here/results
anchors_dir=${EL_ANCHORS_DIR:-$root/../shared/anchors}
edgelog=$build/cli/edgelog
edgelog_args=${EL_EDGELOG_ARGS:-summary --quiet --output-format csv -o /dev/null}
mkdir -p "$cache" "$results"
if [ "$format" = alb ]; then
    count=${count:-2000000}
    gen_name=el_gen_alb
    gen_sources="gen_alb.c"
    gen_args="--lines $count --seed 1 --date 2026-03-10"
else
    count=${count:-1000000}
    gen_name=el_gen_apigw
    gen_sources="gen_apigw.c gen_apigw_text.c gen_apigw_out.c"
    gen_args="--format exec --requests $count --seed 1 --date 2026-03-10"
    if [ "$anchors" -eq 1 ]; then
        echo "note: the awk anchor reads ALB lines only; --anchors ignored" >&2
        anchors=0
    fi
fi
corpus=$cache/$format-$count.log.gz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/el_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# --- corpus: generated once, regenerated when the generator changes ------

# every source the generator is built from, shared files included
all_sources="$gen_sources genlib.c genlib.h gzwriter.c gzwriter.h workload.h"
[ "$format" = alb ] || all_sources="$all_sources gen_apigw.h"
# shellcheck disable=SC2086  # all_sources is a list of words
stamp_want=$(cd "$here" && cat $all_sources | cksum | cut -d' ' -f1)
stamp_want="$stamp_want $gen_args"
stamp_have=$(cat "$corpus.stamp" 2>/dev/null || true)
if [ ! -f "$corpus" ] || [ "$stamp_have" != "$stamp_want" ]; then
    gen=$build/bench/$gen_name
    # use the CMake-built generator only if it is newer than all its sources
    stale=0
    [ -x "$gen" ] || stale=1
    for f in $all_sources; do
        [ "$stale" -eq 1 ] || [ -n "$(find "$gen" -newer "$here/$f")" ] || stale=1
    done
    if [ "$stale" -eq 1 ]; then
        gen=$cache/$gen_name
        echo "compiling the generator: ${CC:-cc} -O2 $gen_sources genlib.c gzwriter.c -> $gen"
        # shellcheck disable=SC2086  # gen_sources is a list of words
        (cd "$here" && "${CC:-cc}" -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -pthread \
            $gen_sources genlib.c gzwriter.c -o "$gen" -lz -lm)
    fi
    echo "generating the corpus: $gen $gen_args --out $corpus"
    # shellcheck disable=SC2086  # gen_args is a list of words
    /usr/bin/time -f '  took %e s wall, %U s user' "$gen" $gen_args --out "$cache/partial.log.gz"
    mv "$cache/partial.log.gz" "$corpus"
    rm -f "$corpus.size" "$corpus.lines"
    echo "$stamp_want" > "$corpus.stamp"
fi
# uncompressed size and line count, measured once per corpus
if [ ! -s "$corpus.size" ] || [ ! -s "$corpus.lines" ]; then
    # shellcheck disable=SC2046  # wc prints "lines bytes"
    set -- $(zcat "$corpus" | wc -lc)
    echo "$1" > "$corpus.lines"
    echo "$2" > "$corpus.size"
fi
raw_bytes=$(cat "$corpus.size")
lines=$(cat "$corpus.lines")
gz_bytes=$(wc -c < "$corpus" | tr -d ' ')

# --- what to run ----------------------------------------------------------

have_edgelog=1
if [ ! -x "$edgelog" ]; then
    have_edgelog=0
    echo "note: no edgelog at $edgelog (build it, or pass --build DIR); timing zcat only" >&2
fi
have_anchor=0
if [ "$anchors" -eq 1 ]; then
    if ! command -v mawk > /dev/null; then
        echo "note: --anchors needs mawk; skipped" >&2
    elif [ ! -f "$anchors_dir/alb_routes.sh" ]; then
        echo "note: no $anchors_dir/alb_routes.sh (set EL_ANCHORS_DIR); skipped" >&2
    else
        have_anchor=1
    fi
fi

# run TOOL RUN: one timed run; appends "tool run wall user sys maxrss_kb"
run() {
    tf=$tmp/time.$1
    case "$1" in
        zcat)    /usr/bin/time -f '%e %U %S %M' -o "$tf" zcat "$corpus" > /dev/null ;;
        edgelog)
            # shellcheck disable=SC2086  # edgelog_args is a list of words
            if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$edgelog" $edgelog_args "$corpus" \
                    > /dev/null 2> "$results/edgelog.stderr"; then
                echo "bench.sh: edgelog failed; see $results/edgelog.stderr:" >&2
                tail -n 5 "$results/edgelog.stderr" >&2
                exit 1
            fi ;;
        awk-mawk) /usr/bin/time -f '%e %U %S %M' -o "$tf" \
                      sh "$anchors_dir/alb_routes.sh" "$corpus" mawk > "$results/anchor_mawk.csv" ;;
    esac
    printf '%s\t%s\t%s\n' "$1" "$2" "$(tr ' ' '\t' < "$tf")" >> "$results/latest-runs.tsv"
}

# --- machine and commands -------------------------------------------------

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr)"
echo "corpus:  $corpus"
if [ "$format" = alb ]; then
    echo "         $lines lines, $raw_bytes bytes uncompressed, $gz_bytes bytes gzip"
else
    echo "         $count requests in $lines execution-log lines, $raw_bytes bytes uncompressed, $gz_bytes bytes gzip"
fi
echo "commands (each under /usr/bin/time -f '%e %U %S %M'):"
echo "  zcat $corpus > /dev/null"
[ "$have_edgelog" -eq 0 ] || echo "  $edgelog $edgelog_args $corpus"
[ "$have_anchor" -eq 0 ] || echo "  sh $anchors_dir/alb_routes.sh $corpus mawk > $results/anchor_mawk.csv"
echo "runs: $runs per tool after one warm-up zcat, alternating with zcat"
echo

# --- runs -----------------------------------------------------------------

printf 'tool\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\n' > "$results/latest-runs.tsv"
zcat "$corpus" > /dev/null                   # warm the page cache
r=1
while [ "$r" -le "$runs" ]; do
    run zcat "$r"
    [ "$have_edgelog" -eq 0 ] || run edgelog "$r"
    if [ "$have_anchor" -eq 1 ]; then
        run zcat "$r"
        run awk-mawk "$r"
    fi
    r=$((r + 1))
done

# --- summary: medians, peak, throughput, median of per-pair ratios --------

awk -F '\t' -v raw="$raw_bytes" -v lines="$lines" -v requests="$count" -v fmt="$format" '
function median(list, n,   a, i, j, t) {
    split(list, a, " ")
    for (i = 2; i <= n; i++)            # insertion sort: n is small
        for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
NR == 1 { next }
{
    tool = $1
    if (!(tool in n)) order[++ntools] = tool
    n[tool]++
    wall[tool] = wall[tool] " " $3
    cpu[tool] = cpu[tool] " " ($4 + $5)
    if ($6 > peak[tool]) peak[tool] = $6
    if (tool == "zcat") last_zcat = $3
    else if (last_zcat > 0) {
        ratio[tool] = ratio[tool] " " ($3 / last_zcat)
        nratio[tool]++
    }
}
END {
    # exec corpora also report requests/s: a request is ~16 lines there
    rq = fmt == "exec"
    printf "tool\truns\tmedian_wall_s\tmedian_cpu_s\tpeak_mib\tmb_per_s\tlines_per_s\twall_vs_zcat%s\n",
           rq ? "\trequests_per_s" : "" > out
    printf "%-10s %4s %10s %10s %9s %8s %11s %13s%s\n", "tool", "runs", "wall s", "user+sys s",
           "peak MiB", "MB/s", "lines/s", "wall vs zcat", rq ? sprintf(" %12s", "requests/s") : ""
    for (k = 1; k <= ntools; k++) {
        t = order[k]
        w = median(wall[t], n[t]); c = median(cpu[t], n[t])
        r = t == "zcat" ? 1 : (nratio[t] ? median(ratio[t], nratio[t]) : 0)
        mbs = w > 0 ? raw / 1e6 / w : 0
        lps = w > 0 ? lines / w : 0
        rps = w > 0 ? requests / w : 0
        printf "%s\t%d\t%.2f\t%.2f\t%.1f\t%.0f\t%.0f\t%.2f%s\n", t, n[t], w, c, peak[t] / 1024,
               mbs, lps, r, rq ? sprintf("\t%.0f", rps) : "" > out
        printf "%-10s %4d %10.2f %10.2f %9.1f %8.0f %11.0f %13.2f%s\n", t, n[t], w, c,
               peak[t] / 1024, mbs, lps, r, rq ? sprintf(" %12.0f", rps) : ""
    }
}' out="$results/latest.tsv" "$results/latest-runs.tsv"

echo
echo "MB/s = uncompressed MB / median wall; wall vs zcat = median of run-by-run ratios."
echo "written: $results/latest.tsv, $results/latest-runs.tsv"
