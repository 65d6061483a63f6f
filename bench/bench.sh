#!/bin/sh
# bench.sh: time edgelog against the decompression floor (zcat) on one
# synthetic corpus, the way performance-anchors.md measures the anchors:
# warm page cache, every timed run paired with a zcat run just before it,
# ratios taken pair by pair, medians over the runs. Beside them it times
# el_inflate_floor (inflate_floor.c): the gzip files inflated with zlib, and
# with ISA-L when built with it, and nothing else, on as many threads as
# there are CPUs. No reader of these files can take less time than that.
#
# usage: bench/bench.sh [--format F] [--lines N | --requests N] [--files N]
#                       [--runs R] [--build DIR] [--commands LIST]
#                       [--config LABEL=ARGS]... [--anchors] [--install-anchors]
#                       [--goaccess]
#   --format F     the corpus (generated once into the cache, see below):
#                  alb     ALB access log, N lines in one .gz (el_gen_alb)
#                  alb-s3  the same lines as --files files in the S3 key layout
#                  exec    API Gateway REST execution log, N requests of ~16
#                          lines each, one stream in one .gz (el_gen_apigw)
#                  rest    REST API access log, one JSON line per request
#                  http    HTTP API access log, one JSON line per request
#   --lines N      corpus size (default: alb, alb-s3 2000000 lines;
#   --requests N     exec 1000000 requests; rest, http 2000000 requests)
#   --files N      alb-s3: number of files (default 20)
#   --runs R       timed runs per tool (default 3), after the warm-up
#   --build DIR    CMake build dir with cli/edgelog (default: <repo>/build)
#   --commands L   edgelog commands to time, comma-separated, from summary,
#                  timeline (--bucket 5m) and cost (default: all three)
#   --config LABEL=ARGS
#                  also time each command with these extra edgelog options,
#                  e.g. --config 'isal=--inflate isal' (ARGS is split on
#                  spaces); repeatable. The default configuration has no
#                  extra options and the label 'default'.
#   --anchors      alb: also time the awk anchor with mawk and the DuckDB
#                  anchor when installed, and check that their answers agree
#                  with edgelog's (bench/agree.py); alb-s3: DuckDB only
#   --install-anchors
#                  install @duckdb/node-api@1.5.6-r.1 with npm into
#                  $EL_DUCKDB_DIR first (needs node and npm); implies --anchors
#   --goaccess     alb: also time goaccess when installed (slow: ~85 s a run)
#   --prepare      only generate the corpus (and measure it), time nothing
# env:  EL_BENCH_DIR     corpus cache (default bench/corpus, git-ignored)
#       EL_ANCHORS_DIR   anchor scripts (default <repo>/../shared/anchors)
#       EL_DUCKDB_DIR    DuckDB's npm folder (default bench/.duckdb, git-ignored)
#       EL_EDGELOG_ARGS  if set, time one edgelog run with exactly these
#                        arguments before the path instead of the commands
#       CC               compiler for the generator when DIR has none
# Writes bench/results/<corpus>.tsv (medians), <corpus>-runs.tsv (each run),
# the anchors' CSVs and <corpus>.agree.txt; latest.tsv and latest-runs.tsv
# are copies of the last corpus's. Exit 1 when an answer disagrees.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
format=alb
count=
files=20
runs=3
build=$root/build
commands=summary,timeline,cost
anchors=0
install=0
goaccess=0
prepare=0
duckdb_pkg=@duckdb/node-api@1.5.6-r.1

usage() {
    sed -n '2,49p' "$0" | sed 's/^# \{0,1\}//'
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/el_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
: > "$tmp/configs"

while [ $# -gt 0 ]; do
    case "$1" in
        --format) [ $# -ge 2 ] || die "--format needs a value"
                 case "$2" in alb|alb-s3|exec|rest|http) format=$2 ;;
                     *) die "--format: '$2' is not alb, alb-s3, exec, rest or http" ;; esac
                 shift 2 ;;
        --lines|--requests|--files|--runs)
                 [ $# -ge 2 ] || die "$1 needs a value"
                 is_count "$2" || die "$1: '$2' is not a positive integer"
                 case "$1" in --files) files=$2 ;; --runs) runs=$2 ;; *) count=$2 ;; esac
                 shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a value"
                 build=$2; shift 2 ;;
        --commands)
                 [ $# -ge 2 ] || die "--commands needs a value"
                 for c in $(echo "$2" | tr ',' ' '); do
                     case "$c" in summary|timeline|cost) ;;
                         *) die "--commands: '$c' is not summary, timeline or cost" ;; esac
                 done
                 commands=$2; shift 2 ;;
        --config)
                 [ $# -ge 2 ] || die "--config needs LABEL=ARGS"
                 label=${2%%=*}
                 case "$2" in *=*) ;; *) die "--config: '$2' is not LABEL=ARGS" ;; esac
                 case "$label" in ''|*[!A-Za-z0-9_.-]*|default)
                     die "--config: label '$label' must be letters, digits, '_', '.', '-' (and not 'default')" ;; esac
                 ! grep -q "^$label	" "$tmp/configs" || die "--config: label '$label' given twice"
                 printf '%s\t%s\n' "$label" "${2#*=}" >> "$tmp/configs"
                 shift 2 ;;
        --anchors) anchors=1; shift ;;
        --install-anchors) anchors=1; install=1; shift ;;
        --goaccess) goaccess=1; shift ;;
        --prepare) prepare=1; shift ;;
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
duckdb_dir=${EL_DUCKDB_DIR:-$here/.duckdb}
edgelog=$build/cli/edgelog
floor=$build/bench/el_inflate_floor
mkdir -p "$cache" "$results"
case "$format" in
    alb|alb-s3)
        count=${count:-2000000}
        gen_name=el_gen_alb
        gen_sources="gen_alb.c"
        gen_args="--lines $count --seed 1 --date 2026-03-10"
        name=alb-$count
        if [ "$format" = alb-s3 ]; then
            gen_args="$gen_args --layout s3 --files $files"
            name=alb-s3-$count-$files
        fi ;;
    *)
        gen_name=el_gen_apigw
        gen_sources="gen_apigw.c gen_apigw_text.c gen_apigw_out.c"
        case "$format" in
            exec) count=${count:-1000000}; kind="exec" ;;
            rest) count=${count:-2000000}; kind=access-rest ;;
            http) count=${count:-2000000}; kind=access-http ;;
        esac
        gen_args="--format $kind --requests $count --seed 1 --date 2026-03-10"
        name=$format-$count ;;
esac
# a single file is NAME.log.gz, the S3 layout a folder NAME/
if [ "$format" = alb-s3 ]; then corpus=$cache/$name; else corpus=$cache/$name.log.gz; fi
case "$format" in alb|alb-s3) ;; *)
    if [ "$anchors" -eq 1 ] || [ "$goaccess" -eq 1 ]; then
        echo "note: the anchors read ALB lines only; --anchors and --goaccess ignored for $format" >&2
    fi
    anchors=0; install=0; goaccess=0 ;;
esac
[ "$format" = alb ] || goaccess=0

# --- corpus: generated once, regenerated when the generator changes ------

# every source the generator is built from, shared files included
all_sources="$gen_sources genlib.c genlib.h gzwriter.c gzwriter.h workload.h"
[ "$gen_name" = el_gen_alb ] || all_sources="$all_sources gen_apigw.h"
# shellcheck disable=SC2086  # all_sources is a list of words
stamp_want=$(cd "$here" && cat $all_sources | cksum | cut -d' ' -f1)
stamp_want="$stamp_want $gen_args"
stamp_have=$(cat "$corpus.stamp" 2>/dev/null || true)
if [ ! -e "$corpus" ] || [ "$stamp_have" != "$stamp_want" ]; then
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
    partial=$cache/partial.$name
    rm -rf "$partial" "$corpus" "$corpus.size" "$corpus.lines" "$corpus.stamp"
    [ "$format" = alb-s3 ] || partial=$partial.log.gz
    echo "generating the corpus: $gen $gen_args --out $corpus"
    # shellcheck disable=SC2086  # gen_args is a list of words
    /usr/bin/time -f '  took %e s wall, %U s user' "$gen" $gen_args --out "$partial" \
        || die "the generator failed"
    mv "$partial" "$corpus"
    echo "$stamp_want" > "$corpus.stamp"
fi
# the .gz files of the corpus, NUL-separated, for zcat
if [ "$format" = alb-s3 ]; then
    find "$corpus" -type f -name '*.gz' -print0 | LC_ALL=C sort -z > "$tmp/gzfiles"
else
    printf '%s\0' "$corpus" > "$tmp/gzfiles"
fi
nfiles=$(tr -cd '\0' < "$tmp/gzfiles" | wc -c | tr -d ' ')
[ "$nfiles" -gt 0 ] || die "no .gz file in $corpus"
# uncompressed size and line count, measured once per corpus
if [ ! -s "$corpus.size" ] || [ ! -s "$corpus.lines" ]; then
    # shellcheck disable=SC2046  # wc prints "lines bytes"
    set -- $(xargs -0 zcat < "$tmp/gzfiles" | wc -lc)
    echo "$1" > "$corpus.lines"
    echo "$2" > "$corpus.size"
fi
raw_bytes=$(cat "$corpus.size")
lines=$(cat "$corpus.lines")
gz_bytes=$(xargs -0 cat < "$tmp/gzfiles" | wc -c | tr -d ' ')
if [ "$prepare" -eq 1 ]; then
    echo "corpus ready: $corpus ($lines lines, $raw_bytes bytes uncompressed, $gz_bytes bytes gzip)"
    exit 0
fi

# --- anchors: DuckDB's npm package, on request ----------------------------

duckdb_ok() {
    [ -f "$duckdb_dir/node_modules/@duckdb/node-api/package.json" ]
}
if [ "$install" -eq 1 ] && ! duckdb_ok; then
    command -v npm > /dev/null || die "--install-anchors needs npm (and node)"
    echo "installing $duckdb_pkg into $duckdb_dir"
    mkdir -p "$duckdb_dir"
    [ -f "$duckdb_dir/package.json" ] || printf '{ "name": "edgelog-bench-duckdb", "private": true }\n' \
        > "$duckdb_dir/package.json"
    (cd "$duckdb_dir" && npm install --no-audit --no-fund "$duckdb_pkg") \
        || die "npm install $duckdb_pkg failed"
fi

# --- what to run ----------------------------------------------------------

have_edgelog=1
if [ ! -x "$edgelog" ]; then
    have_edgelog=0
    echo "note: no edgelog at $edgelog (build it, or pass --build DIR); timing zcat only" >&2
fi
# tools: name <TAB> what, one a line, in the order each run takes them
: > "$tmp/tools"
if [ -x "$floor" ]; then
    for b in zlib isal; do
        ! "$floor" --has "$b" || printf 'inflate-%s\tfloor\t%s\n' "$b" "$b" >> "$tmp/tools"
    done
else
    echo "note: no $floor (build the bench/ targets); the inflate floor is not timed" >&2
fi
if [ "$have_edgelog" -eq 1 ]; then
    if [ -n "${EL_EDGELOG_ARGS:-}" ]; then
        printf 'edgelog\tcustom\t\n' >> "$tmp/tools"
    else
        printf 'default\t\n' | cat - "$tmp/configs" > "$tmp/allconfigs"
        for c in $(echo "$commands" | tr ',' ' '); do
            while IFS='	' read -r label args; do
                if [ "$label" = default ]; then t=$c; else t=$c@$label; fi
                printf '%s\t%s\t%s\n' "$t" "$c" "$args" >> "$tmp/tools"
            done < "$tmp/allconfigs"
        done
    fi
fi
anchor_file=
if [ "$anchors" -eq 1 ]; then
    if [ "$format" = alb ]; then
        if ! command -v mawk > /dev/null; then
            echo "note: the awk anchor needs mawk; skipped" >&2
        elif [ ! -f "$anchors_dir/alb_routes.sh" ]; then
            echo "note: no $anchors_dir/alb_routes.sh (set EL_ANCHORS_DIR); awk anchor skipped" >&2
        else
            printf 'awk-mawk\tanchor\t\n' >> "$tmp/tools"
        fi
        anchor_file=$corpus
    else
        # DuckDB reads the layout with a glob; the awk anchor takes one file
        anchor_file="$corpus/**/*.log.gz"
    fi
    if ! command -v node > /dev/null; then
        echo "note: the DuckDB anchor needs node; skipped" >&2
    elif ! duckdb_ok; then
        echo "note: DuckDB is not installed in $duckdb_dir (run with --install-anchors); skipped" >&2
    elif [ ! -f "$anchors_dir/duckdb_run.mjs" ] || [ ! -f "$anchors_dir/alb_routes_duckdb.sql" ]; then
        echo "note: no duckdb_run.mjs / alb_routes_duckdb.sql in $anchors_dir; DuckDB skipped" >&2
    else
        # the script imports @duckdb/node-api, so it must sit beside node_modules
        cp "$anchors_dir/duckdb_run.mjs" "$duckdb_dir/duckdb_run.mjs"
        printf 'duckdb\tanchor\t\n' >> "$tmp/tools"
    fi
fi
if [ "$goaccess" -eq 1 ]; then
    if command -v goaccess > /dev/null; then
        printf 'goaccess\tanchor\t\n' >> "$tmp/tools"
    else
        echo "note: --goaccess: goaccess is not installed; skipped" >&2
    fi
fi

edgelog_cmd() {   # COMMAND EXTRA_ARGS: the argument words before the path
    case "$1" in
        custom)   echo "$EL_EDGELOG_ARGS" ;;
        summary)  echo "summary $2 --quiet -f csv -o /dev/null" ;;
        timeline) echo "timeline $2 --bucket 5m --quiet -f csv -o /dev/null" ;;
        cost)     echo "cost $2 --quiet -f csv -o /dev/null" ;;
    esac
}
# the path edgelog reads: the file, or the S3 layout's folder
target=$corpus
goaccess_cmd="zcat \"\$1\" | goaccess - --log-format=AWSALB --date-format=%Y-%m-%d --time-format=%H:%M:%S --no-global-config --no-progress -o \"\$2\""

# run TOOL KIND ARGS RUN: one timed run; appends a line to NAME-runs.tsv
run() {
    tf=$tmp/time
    case "$2" in
        zcat)
            /usr/bin/time -f '%e %U %S %M' -o "$tf" xargs -0 zcat < "$tmp/gzfiles" > /dev/null ;;
        floor)
            # one process: xargs passes every file (the corpus is 20 names)
            /usr/bin/time -f '%e %U %S %M' -o "$tf" xargs -0 "$floor" --inflate "$3" \
                --threads "$(nproc)" < "$tmp/gzfiles" > "$tmp/floor.out" \
                || { echo "bench.sh: el_inflate_floor --inflate $3 failed" >&2; exit 2; }
            [ "$(cat "$tmp/floor.out")" = "$raw_bytes" ] \
                || { echo "bench.sh: el_inflate_floor --inflate $3 inflated $(cat "$tmp/floor.out") bytes, not $raw_bytes" >&2; exit 2; } ;;
        custom|summary|timeline|cost)
            # shellcheck disable=SC2046  # the command line is a list of words
            if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$edgelog" $(edgelog_cmd "$2" "$3") "$target" \
                    > /dev/null 2> "$results/$name.edgelog.stderr"; then
                echo "bench.sh: edgelog $2 $3 failed; see $results/$name.edgelog.stderr:" >&2
                tail -n 5 "$results/$name.edgelog.stderr" >&2
                exit 2
            fi ;;
        anchor)
            case "$1" in
                awk-mawk) /usr/bin/time -f '%e %U %S %M' -o "$tf" \
                              sh "$anchors_dir/alb_routes.sh" "$corpus" mawk > "$results/$name.awk.csv" ;;
                duckdb)   /usr/bin/time -f '%e %U %S %M' -o "$tf" node "$duckdb_dir/duckdb_run.mjs" \
                              "$anchors_dir/alb_routes_duckdb.sql" "$anchor_file" "$results/$name.duckdb.csv" ;;
                goaccess) /usr/bin/time -f '%e %U %S %M' -o "$tf" sh -c "$goaccess_cmd" sh "$corpus" \
                              "$results/$name.goaccess.json" 2> "$results/$name.goaccess.stderr" ;;
            esac || { echo "bench.sh: $1 failed" >&2; exit 2; } ;;
    esac
    printf '%s\t%s\t%s\n' "$1" "$4" "$(tr ' ' '\t' < "$tf")" >> "$results/$name-runs.tsv"
}

# --- machine and commands -------------------------------------------------

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus:  $corpus ($format, $nfiles .gz file(s))"
case "$format" in
    alb*) echo "         $lines lines, $raw_bytes bytes uncompressed, $gz_bytes bytes gzip" ;;
    *)    echo "         $count requests in $lines lines, $raw_bytes bytes uncompressed, $gz_bytes bytes gzip" ;;
esac
echo "commands (each under /usr/bin/time -f '%e %U %S %M'):"
if [ "$format" = alb-s3 ]; then
    echo "  find $corpus -name '*.gz' -print0 | sort -z | xargs -0 zcat > /dev/null   (one zcat process)"
else
    echo "  zcat $corpus > /dev/null"
fi
while IFS='	' read -r t kind args; do
    case "$kind" in
        floor) echo "  xargs -0 $floor --inflate $args --threads $(nproc) (the same .gz files)" ;;
        anchor) case "$t" in
            awk-mawk) echo "  sh $anchors_dir/alb_routes.sh $corpus mawk > $results/$name.awk.csv" ;;
            duckdb)   echo "  node $duckdb_dir/duckdb_run.mjs $anchors_dir/alb_routes_duckdb.sql '$anchor_file' $results/$name.duckdb.csv" ;;
            goaccess) echo "  zcat $corpus | goaccess - --log-format=AWSALB --date-format=%Y-%m-%d --time-format=%H:%M:%S --no-global-config --no-progress -o $results/$name.goaccess.json" ;;
            esac ;;
        *) echo "  $edgelog $(edgelog_cmd "$kind" "$args" | tr -s ' ') $target" ;;
    esac
done < "$tmp/tools"
echo "runs: $runs per tool after a warm-up, each run right after its own zcat run"
echo

# --- warm-up: page cache, and the answers the agreement check reads -------

xargs -0 zcat < "$tmp/gzfiles" > /dev/null
if [ -d "$duckdb_dir/node_modules" ] && grep -q '^duckdb	' "$tmp/tools"; then
    find "$duckdb_dir/node_modules" -type f -exec cat {} + > /dev/null
fi
# one untimed summary per configuration, with the anchors' percentiles: the
# configurations must give the same answer, and agree.py reads the default's
answers_differ=0
if [ "$have_edgelog" -eq 1 ] && [ -z "${EL_EDGELOG_ARGS:-}" ]; then
    while IFS='	' read -r label args; do
        # shellcheck disable=SC2086  # args is a list of words
        "$edgelog" summary $args -q -f csv --percentiles 50,90,99 \
            -o "$results/$name.summary.$label.csv" "$target" \
            || die "edgelog summary $args failed on $target"
        if [ "$label" != default ]; then
            if cmp -s "$results/$name.summary.default.csv" "$results/$name.summary.$label.csv"; then
                echo "config $label: summary identical to the default's"
            else
                echo "CONFIG $label: SUMMARY DIFFERS from the default's ($results/$name.summary.$label.csv)"
                answers_differ=1
            fi
        fi
    done < "$tmp/allconfigs"
fi

# --- runs -----------------------------------------------------------------

printf 'tool\trun\twall_s\tuser_s\tsys_s\tmaxrss_kb\n' > "$results/$name-runs.tsv"
# answers of earlier sittings must not be checked as this one's
rm -f "$results/$name.awk.csv" "$results/$name.duckdb.csv" "$results/$name.goaccess.json" \
    "$results/$name.agree.txt"
r=1
while [ "$r" -le "$runs" ]; do
    while IFS='	' read -r t kind args; do
        run zcat zcat "" "$r"
        run "$t" "$kind" "$args" "$r"
    done < "$tmp/tools"
    [ -s "$tmp/tools" ] || run zcat zcat "" "$r"
    r=$((r + 1))
done

# --- summary: medians, peak, throughput, median of per-pair ratios --------

awk -F '\t' -v raw="$raw_bytes" -v lines="$lines" -v requests="$count" -v corpus="$name" '
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
    printf "corpus\ttool\truns\tmedian_wall_s\tmedian_cpu_s\tpeak_mib\tmb_per_s\tlines_per_s\trequests_per_s\twall_ns_per_byte\tcpu_ns_per_byte\twall_vs_zcat\traw_bytes\n" > out
    printf "%-16s %4s %8s %10s %8s %6s %10s %10s %6s %6s %8s\n", "tool", "runs", "wall s", "user+sys s",
           "peak MiB", "MB/s", "lines/s", "requests/s", "ns/B", "cpu ns/B", "vs zcat"
    for (k = 1; k <= ntools; k++) {
        t = order[k]
        w = median(wall[t], n[t]); c = median(cpu[t], n[t])
        r = t == "zcat" ? 1 : (nratio[t] ? median(ratio[t], nratio[t]) : 0)
        mbs = w > 0 ? raw / 1e6 / w : 0
        lps = w > 0 ? lines / w : 0
        rps = w > 0 ? requests / w : 0
        printf "%s\t%s\t%d\t%.2f\t%.2f\t%.1f\t%.0f\t%.0f\t%.0f\t%.3f\t%.3f\t%.3f\t%d\n", corpus, t, n[t], w, c,
               peak[t] / 1024, mbs, lps, rps, w * 1e9 / raw, c * 1e9 / raw, r, raw > out
        printf "%-16s %4d %8.2f %10.2f %8.1f %6.0f %10.0f %10.0f %6.2f %8.2f %8.2f\n", t, n[t], w, c,
               peak[t] / 1024, mbs, lps, rps, w * 1e9 / raw, c * 1e9 / raw, r
    }
}' out="$results/$name.tsv" "$results/$name-runs.tsv"
cp "$results/$name.tsv" "$results/latest.tsv"
cp "$results/$name-runs.tsv" "$results/latest-runs.tsv"

echo
echo "MB/s, lines/s, requests/s = uncompressed MB, lines, requests / median wall;"
echo "ns/B = median wall (cpu ns/B: user+sys) per uncompressed byte;"
echo "vs zcat = median of the run-by-run ratios to the zcat run just before."
echo "written: $results/$name.tsv, $results/$name-runs.tsv"

# --- agreement: edgelog's per-route answer against the anchors' -----------

disagree=$answers_differ
if grep -q '^awk-mawk	\|^duckdb	' "$tmp/tools"; then
    echo
    agree_out=$results/$name.agree.txt
    : > "$agree_out"
    for a in awk duckdb; do
        [ -s "$results/$name.$a.csv" ] || continue
        python3 "$here/agree.py" --name "$a" "$results/$name.summary.default.csv" \
            "$results/$name.$a.csv" >> "$agree_out" || disagree=1
    done
    if [ -s "$results/$name.awk.csv" ] && [ -s "$results/$name.duckdb.csv" ] \
            && [ -f "$anchors_dir/compare_csv.py" ]; then
        printf 'awk vs duckdb (compare_csv.py): ' >> "$agree_out"
        python3 "$anchors_dir/compare_csv.py" "$results/$name.awk.csv" "$results/$name.duckdb.csv" \
            >> "$agree_out" || disagree=1
    fi
    cat "$agree_out"
    echo "written: $agree_out"
fi
exit "$disagree"
