#!/bin/sh
# run_all.sh: the whole benchmark in one command. Generates any missing
# corpus, runs bench/bench.sh on each one (edgelog summary, timeline and cost,
# each run paired with zcat; the anchors on the ALB corpora) and writes one
# Markdown report with the table, the targets and the agreement check.
#
# usage: bench/run_all.sh [--quick] [--lines N] [--requests N]
#                         [--access-requests N] [--files N] [--runs R]
#                         [--build DIR] [--corpora LIST] [--commands LIST]
#                         [--config LABEL=ARGS]... [--anchors]
#                         [--install-anchors] [--goaccess]
#   --quick              small corpora for development: 200000 ALB lines,
#                        100000 execution-log requests, 200000 access-log
#                        requests (explicit sizes still win)
#   --lines N            ALB lines, one file and S3 layout (default 2000000)
#   --requests N         execution-log requests (default 1000000)
#   --access-requests N  REST and HTTP access-log requests (default 2000000:
#                        about the ALB corpus's uncompressed size)
#   --files N            files of the S3 layout (default 20)
#   --corpora LIST       comma-separated, from alb, alb-s3, exec, rest, http
#                        (default: all five)
#   --runs, --build, --commands, --config, --anchors, --install-anchors,
#   --goaccess, --prepare
#                        passed to bench.sh (see bench.sh --help); with
#                        --prepare only the corpora are generated
# Writes bench/results/report.md and run_all.log. Exit 1 when an answer
# disagrees (anchors, or a --config's summary against the default's).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
quick=0
lines=
requests=
access=
corpora=alb,alb-s3,exec,rest,http
pass=
alb_pass=   # the anchors read ALB logs only
prepare=0

die() {
    echo "run_all.sh: $*" >&2
    exit 2
}

# quote a word for sh: the pass-through options may hold spaces
q() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --lines|--requests|--access-requests)
            [ $# -ge 2 ] || die "$1 needs a value"
            case "$2" in ''|*[!0-9]*|0*) die "$1: '$2' is not a positive integer" ;; esac
            case "$1" in --lines) lines=$2 ;; --requests) requests=$2 ;; *) access=$2 ;; esac
            shift 2 ;;
        --corpora)
            [ $# -ge 2 ] || die "--corpora needs a value"
            for c in $(echo "$2" | tr ',' ' '); do
                case "$c" in alb|alb-s3|exec|rest|http) ;;
                    *) die "--corpora: '$c' is not alb, alb-s3, exec, rest or http" ;; esac
            done
            corpora=$2; shift 2 ;;
        --files|--runs|--build|--commands|--config)
            [ $# -ge 2 ] || die "$1 needs a value"
            [ "$1" != --build ] || build=$2
            pass="$pass $1 $(q "$2")"; shift 2 ;;
        --prepare) prepare=1; pass="$pass $1"; shift ;;
        --anchors|--install-anchors|--goaccess)
            alb_pass="$alb_pass $1"; shift ;;
        -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
if [ "$quick" -eq 1 ]; then
    lines=${lines:-200000}; requests=${requests:-100000}; access=${access:-200000}
fi
lines=${lines:-2000000}; requests=${requests:-1000000}; access=${access:-2000000}
files=20
# bench.sh names its results after the corpus: find --files among the options
eval "set -- $pass"
while [ $# -gt 0 ]; do
    [ "$1" != --files ] || files=$2
    shift
done

results=$here/results
mkdir -p "$results"
log=$results/run_all.log
: > "$log"
rcfile=$(mktemp "${TMPDIR:-/tmp}/el_run_all.XXXXXX")
trap 'rm -f "$rcfile"' EXIT
trap 'exit 130' INT TERM
status=0
names=
for c in $(echo "$corpora" | tr ',' ' '); do
    case "$c" in
        alb)    size="--lines $lines$alb_pass"; name=alb-$lines ;;
        alb-s3) size="--lines $lines$alb_pass"; name=alb-s3-$lines-$files ;;
        exec)   size="--requests $requests"; name=exec-$requests ;;
        *)      size="--requests $access"; name=$c-$access ;;
    esac
    echo "=== $c: bench.sh --format $c $size$pass" | tee -a "$log"
    # stream the output, and keep bench.sh's exit status out of the pipe
    { rc=0; eval "sh \"\$here/bench.sh\" --format $c $size $pass" || rc=$?; echo "$rc" > "$rcfile"; } 2>&1 \
        | tee -a "$log"
    rc=$(cat "$rcfile")
    case "$rc" in
        0) ;;
        1) status=1 ;;
        *) die "bench.sh --format $c failed (exit $rc); see $log" ;;
    esac
    names="$names $name"
    echo | tee -a "$log"
done

[ "$prepare" -eq 0 ] || exit 0
# The report names the default gzip decoder (ISA-L when the build has it,
# whose single-file target is 0.25x rather than zlib's 0.40x).
EL_DEFAULT_INFLATE=$("${build:-$(dirname "$here")/build}/cli/edgelog" --version 2>/dev/null |
    sed -n 's/.*(auto: \([a-z]*\)).*/\1/p')
export EL_DEFAULT_INFLATE
# shellcheck disable=SC2086  # names is a list of words
python3 "$here/report.py" "$results" $names > "$results/report.md"
cat "$results/report.md"
echo
echo "written: $results/report.md, $log"
exit "$status"
