#!/bin/sh
# check_apigw.sh: compare what edgelog reads from el_gen_apigw output with
# what the generator meant (its --truth file), request by request.
#
# usage: bench/check_apigw.sh EDGELOG FORMAT TRUTH.csv PATH...
#   FORMAT  exec, access-rest, access-http or firehose (what PATH holds)
# Runs `EDGELOG records --output-format csv --csv-raw PATH...` (raw, since
# a request id may start with '-', which plain CSV would guard with a quote)
# and joins the records to TRUTH.csv on request_id. Fails (exit 1) when a
# request is missing, doubled, incomplete or unknown, or when its status,
# latency, integration latency, error reason, error class or route differs,
# except for the readings listed under "known" below, which are printed and
# counted.
set -eu

[ $# -ge 4 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
edgelog=$1 fmt=$2 truth=$3
shift 3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/el_check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

"$edgelog" records --output-format csv --csv-raw "$@" > "$tmp/records.csv" 2> "$tmp/stderr" || {
    cat "$tmp/stderr" >&2
    echo "check_apigw.sh: edgelog failed" >&2
    exit 1
}

awk -v fmt="$fmt" -v truthfile="$truth" '
# RFC 4180 fields of one line (no embedded newlines in edgelog records).
function csv_split(line, out,    n, i, c, f, q) {
    n = 0; f = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
            } else f = f c
        } else if (c == "\"") q = 1
        else if (c == ",") { out[++n] = f; f = "" }
        else f = f c
    }
    out[++n] = f
    return n
}
function num_eq(a, b) {
    if (a == "" || b == "") return a == b
    return (a + 0) - (b + 0) < 0.0005 && (b + 0) - (a + 0) < 0.0005
}
function bad(field, id, want, got) {
    if (nbad[field]++ < 5)
        printf "  MISMATCH %s %s: generator %s, edgelog %s\n", field, id, want == "" ? "(none)" : want, got == "" ? "(none)" : got
    fails++
}
BEGIN {
    exec_like = fmt == "exec" || fmt == "firehose"
    # Readings that differ from the intent because of what the log says or
    # how edgelog classifies it; each is explained in docs/SAMPLES.md.
    if (exec_like) {
        # A function that returns statusCode 500 leaves "Received response.
        # [Status: 200, ]..." and "Method completed with status: 500":
        # edgelog sees a 5xx without a backend 5xx.
        known["error_class fn_500 backend_5xx frontend_5xx"] = 1
    } else {
        # Access logs: a function error is the gateway answer DEFAULT_5XX
        # (REST) or a 500 "Internal Server Error" (HTTP) with integration
        # status 200, which edgelog reads as the front end failing.
        known["error_class fn_error lambda_function frontend_5xx"] = 1
        known["error_class proxy_error lambda_function frontend_5xx"] = 1
    }
    while ((getline line < truthfile) > 0) {
        if (++tn == 1) continue
        csv_split(line, t)
        id = t[1]
        if (id in want_status) { printf "  truth has %s twice\n", id; fails++ }
        want_status[id] = t[2]; want_lat[id] = t[3]; want_int[id] = t[4]
        want_reason[id] = t[5]; want_class[id] = t[6]; kind[id] = t[7]; want_route[id] = t[8]
        kinds[t[7]]++
    }
    close(truthfile)
}
NR == 1 {
    n = csv_split($0, h)
    for (i = 1; i <= n; i++) col[h[i]] = i
    next
}
{
    csv_split($0, r)
    id = r[col["request_id"]]
    records++
    if (!(id in want_status)) { printf "  record %s is not in the truth file\n", id; fails++; next }
    if (id in seen) { printf "  record %s twice\n", id; fails++; next }
    seen[id] = 1
    k = kind[id]
    if (r[col["incomplete"]] != "") bad("incomplete", id, "", r[col["incomplete"]])
    if (r[col["status"]] != want_status[id]) bad("status", id, want_status[id], r[col["status"]])
    if (!num_eq(r[col["latency_ms"]], want_lat[id])) bad("latency_ms", id, want_lat[id], r[col["latency_ms"]])
    if (!num_eq(r[col["backend_ms"]], want_int[id])) bad("integration_ms", id, want_int[id], r[col["backend_ms"]])
    if (r[col["error_reason"]] != want_reason[id]) bad("error_reason", id, want_reason[id], r[col["error_reason"]])
    got = r[col["error_class"]]
    if (got != want_class[id]) {
        key = "error_class " k " " want_class[id] " " got
        if (key in known) known_n[key]++
        else bad("error_class", id, want_class[id] " (" k ")", got)
    }
    # Execution logs name no resource for requests the gateway refused
    # before running them (throttled, authorizer): no route to compare.
    if (!(exec_like && (k == "throttled" || k == "unauthorized")))
        if (r[col["route"]] != want_route[id]) bad("route", id, want_route[id], r[col["route"]])
    ok_kind[k]++
}
END {
    for (id in want_status) if (!(id in seen)) { missing++; if (missing <= 5) printf "  request %s has no record\n", id }
    fails += missing
    printf "  %-14s %8s %8s\n", "kind", "truth", "records"
    for (k in kinds) printf "  %-14s %8d %8d\n", k, kinds[k], ok_kind[k]
    for (key in known_n) printf "  known reading: %s (generator, edgelog): %d\n", key, known_n[key]
    printf "  %d requests, %d records, %d mismatches\n", tn - 1, records, fails
    exit fails > 0
}' "$tmp/records.csv" || { echo "check_apigw.sh: edgelog records differ from the generator (above)" >&2; exit 1; }
if grep -q 'rejected\|incomplete' "$tmp/stderr"; then
    cat "$tmp/stderr" >&2
    echo "check_apigw.sh: edgelog rejected lines or left requests incomplete" >&2
    exit 1
fi
sed 's/^/  /' "$tmp/stderr"
