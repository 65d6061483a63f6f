#!/bin/sh
# check.sh EDGELOG SHARED_REALWORLD_DIR
# Runs edgelog over the real ALB lines collected from AWS documentation,
# other tools' test suites and users' bug reports (kept outside this
# repository, in the team's shared folder), and checks the accounting of
# every file and the fields that matter most. Exits 77 (skipped) when the
# folder is not there.
set -u
EDGELOG=$1
RW=$2
[ -d "$RW" ] || { echo "no $RW: skipped"; exit 77; }
export LC_ALL=C
fail=0

# file -> expected accounting line (each file's first line names its source)
expect() {
    f=$RW/$1
    [ -f "$f" ] || { echo "missing $f"; fail=1; return; }
    got=$(tail -n +2 "$f" | "$EDGELOG" summary -f csv 2>&1 >/dev/null | tail -1)
    if [ "$got" != "edgelog: $2" ]; then
        echo "$1: accounting"; echo "  got:  $got"; echo "  want: edgelog: $2"; fail=1
    fi
}

expect alb_awsdocs_examples.txt "1 files, 7 lines: 7 records"
expect alb_beats_application-lb-http.txt "1 files, 10 lines: 10 records"
# one line of this fixture has a typo ("-"1) that no ALB ever wrote
expect alb_beats_example-alb-http.txt "1 files, 9 lines: 8 records, 1 rejected (field count matches no ALB layout: 1)"
expect alb_elastic-integrations_test-alb.txt "1 files, 10 lines: 3 records, 7 not requests (nlb access log line: 4, alb connection log line: 3)"
expect alb_vrl_parse_aws_alb_log_tests.txt "1 files, 13 lines: 13 records"
expect alb_otel-contrib_alb_al_valid_logs.txt "1 files, 2 lines: 2 records"
expect alb_otel-contrib_elb_control.txt "1 files, 1 lines: 0 records, 1 not requests (alb test-file line: 1)"
expect alb_issue_vrl-861.txt "1 files, 1 lines: 1 records"
expect alb_issue_vrl-852.txt "1 files, 1 lines: 1 records"
expect alb_issue_vrl-1479.txt "1 files, 1 lines: 1 records"
expect alb_issue_goaccess-2557.txt "1 files, 1 lines: 1 records"
expect alb_issue_simnalamburt-elb-log-parser-11.txt "1 files, 1 lines: 1 records"
expect alb_logstash-patterns-core_aws_spec_clb.txt "1 files, 4 lines: 0 records, 4 not requests (classic elb line: 4)"

# field checks: file, line number among the records, column, expected value
field() {
    got=$(tail -n +2 "$RW/$1" | "$EDGELOG" records -q -f csv | awk -F, -v n="$2" -v c="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        NR == n + 1 { print $(col[c]) }')
    if [ "$got" != "$4" ]; then
        echo "$1 record $2 $3: got '$got', want '$4'"; fail=1
    fi
}

# AWS documentation: Lambda success and failure examples (lines 6 and 7)
field alb_awsdocs_examples.txt 6 backend_status 200
field alb_awsdocs_examples.txt 6 target ""
field alb_awsdocs_examples.txt 7 status 502
field alb_awsdocs_examples.txt 7 backend_status ""
field alb_awsdocs_examples.txt 7 error_class lambda_function
field alb_awsdocs_examples.txt 7 error_reason LambdaInvalidResponse
field alb_awsdocs_examples.txt 2 latency_ms 171.000
field alb_awsdocs_examples.txt 2 backend_ms 48.000
field alb_awsdocs_examples.txt 2 overhead_ms 123.000
field alb_awsdocs_examples.txt 3 protocol HTTP/2.0
# unbracketed IPv6 client split at the last colon
field alb_issue_goaccess-2557.txt 1 client_ip 2a02:a33c:4538:1:bcf4:5264:e01c:f215
field alb_issue_goaccess-2557.txt 1 client_port 50718
field alb_issue_goaccess-2557.txt 1 error_class auth
# -1 timings: counted, latency absent, 460 is client_closed, 504 a timeout
field alb_beats_application-lb-http.txt 1 latency_ms ""
field alb_beats_application-lb-http.txt 1 error_class client_closed
field alb_beats_application-lb-http.txt 2 error_class timeout
# 33-field line (transformed_*) and conn_trace_id
field alb_issue_vrl-1479.txt 1 conn_id TID_12345678901234567890123456789012
field alb_issue_vrl-861.txt 1 conn_id TID_37acbe0641d1c34287fee137ef3a5286
# URL without port or path
field alb_issue_simnalamburt-elb-log-parser-11.txt 1 host example.com
field alb_issue_simnalamburt-elb-log-parser-11.txt 1 path /

[ $fail = 0 ] && echo "real-world ALB lines: all checks passed"
exit $fail
