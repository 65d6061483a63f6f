#!/bin/sh
# run_golden.sh EDGELOG CASE_DIR SRC_DIR
# Runs one golden end-to-end case: CASE_DIR/cmd is a shell snippet run from
# CASE_DIR with $EDGELOG (the binary) and $SRC (the source tree) set. Its
# stdout, stderr and exit code must equal expected.out, expected.err and
# expected.rc byte for byte. UPDATE_GOLDEN=1 rewrites the expected files
# instead, for review in the diff.
set -u
EDGELOG=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CASE=$2
SRC=$(cd "$3" && pwd)
export EDGELOG SRC
export LC_ALL=C TZ=UTC

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$CASE" && sh ./cmd) >"$tmp/out" 2>"$tmp/err" </dev/null
echo $? >"$tmp/rc"

# A case that cannot run in this build (say, it needs ISA-L) exits 77 with
# the reason on stderr; ctest reports it as skipped (SKIP_RETURN_CODE).
if [ "$(cat "$tmp/rc")" = 77 ]; then
    echo "golden $(basename "$CASE"): skipped: $(cat "$tmp/err")"
    exit 77
fi

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$tmp/out" "$CASE/expected.out"
    cp "$tmp/err" "$CASE/expected.err"
    cp "$tmp/rc" "$CASE/expected.rc"
    echo "updated $CASE"
    exit 0
fi

status=0
for f in out err rc; do
    if ! cmp -s "$tmp/$f" "$CASE/expected.$f"; then
        echo "golden $(basename "$CASE"): $f differs:"
        diff -u "$CASE/expected.$f" "$tmp/$f" | head -40
        status=1
    fi
done
exit $status
