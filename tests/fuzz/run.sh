#!/usr/bin/env bash
# Runs the libFuzzer targets for a bounded time each (README.md here).
#
#   tests/fuzz/run.sh TARGET|all SECONDS [extra libFuzzer arguments]
#
# Builds the targets with clang in build-fuzz (once; again when sources
# changed), then runs each target for SECONDS on a temporary copy of its
# seed corpus (tests/fuzz/corpus/<target>) plus its regressions, so the
# repository is never written. Exits non-zero on any finding (crash, broken
# invariant, timeout, out-of-memory, leak) and prints the input that caused
# it and the command that reproduces it. Environment: FUZZ_BUILD (build
# directory, default build-fuzz), FUZZ_OUT (where logs, corpora and
# findings go; default a new temporary directory, removed when clean unless
# FUZZ_KEEP=1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
targets_all="alb apigw_access apigw_exec reader cwl state pricing routes"

[ $# -ge 2 ] || { echo "usage: $0 TARGET|all SECONDS [libFuzzer args]" >&2; exit 2; }
what=$1 secs=$2
shift 2
case $secs in ''|*[!0-9]*) echo "SECONDS must be a whole number" >&2; exit 2 ;; esac
if [ "$what" = all ]; then targets=$targets_all; else targets=$what; fi
for t in $targets; do
    case " $targets_all " in *" $t "*) ;; *) echo "unknown target '$t' (one of: $targets_all)" >&2; exit 2 ;; esac
done

# Longest input per target: a few lines for the line parsers, a few
# envelopes or compressed blocks for the stream readers.
max_len() {
    case $1 in
        alb|apigw_access) echo 8192 ;;
        apigw_exec) echo 16384 ;;
        reader|cwl) echo 65536 ;;
        state) echo 32768 ;;
        *) echo 4096 ;;
    esac
}

build=${FUZZ_BUILD:-$root/build-fuzz}
command -v clang > /dev/null || { echo "clang not found (apt-get install clang)" >&2; exit 2; }
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang cmake -S "$root" -B "$build" -DEL_FUZZ=ON -DEL_BUILD_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEL_WERROR=ON > "$build/configure.log" 2>&1 ||
        { tail -30 "$build/configure.log"; exit 1; }
fi
build_targets=()
for t in $targets; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$build" -j2 "${build_targets[@]}" > "$build/fuzz-build.log" 2>&1 ||
    { tail -40 "$build/fuzz-build.log"; exit 1; }

out=${FUZZ_OUT:-$(mktemp -d /tmp/edgelog-fuzz.XXXXXX)}
mkdir -p "$out"
failed=()
for t in $targets; do
    corpus=$out/corpus/$t art=$out/findings/$t/ log=$out/$t.log
    rm -rf "$corpus"
    mkdir -p "$corpus" "$art"
    cp -R "$here/corpus/$t/." "$corpus/"
    seeds=("$corpus")
    [ -d "$here/regressions/$t" ] && seeds+=("$here/regressions/$t")
    dict=()
    [ -f "$here/$t.dict" ] && dict=("-dict=$here/$t.dict")
    echo "+ fuzz_$t for ${secs}s (log: $log)"
    rc=0
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len="$(max_len "$t")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art" \
        ${dict[@]+"${dict[@]}"} "$@" "${seeds[@]}" > "$log" 2>&1 || rc=$?
    # the last status line: "#N DONE cov: C ft: F corp: U/S ... exec/s: E rss: R"
    stat=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    echo "  $stat"
    finding=$(find "$art" -type f | head -1)
    if [ $rc -ne 0 ] || [ -n "$finding" ]; then
        failed+=("$t")
        echo "  FINDING in fuzz_$t (exit $rc):"
        grep -E 'ERROR: |invariant broken|runtime error|SUMMARY' "$log" | head -5 | sed 's/^/    /'
        if [ -n "$finding" ]; then
            echo "    input: $finding"
            echo "    reproduce: $build/tests/fuzz/fuzz_$t $finding"
        fi
        echo "    log tail:"
        tail -25 "$log" | sed 's/^/      /'
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in: ${failed[*]} (kept in $out)"
    exit 1
fi
echo "fuzz: clean ($targets)"
[ "${FUZZ_KEEP:-0}" = 1 ] || [ -n "${FUZZ_OUT:-}" ] || rm -rf "$out"
