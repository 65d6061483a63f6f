#!/bin/sh
# group_cap.sh [BUILD_DIR] [LINES]: memory stays flat when every request has
# a different URL. Writes LINES (default 1,000,000) ALB lines whose paths are
# all distinct words (no id-like segment, so templating cannot fold them),
# runs edgelog summary over them, and prints the peak RSS and the (other)
# report. Without the group cap (--max-groups) memory would grow with every
# line.
set -eu
build=${1:-build}
lines=${2:-1000000}
edgelog=$build/cli/edgelog
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v n="$lines" 'BEGIN {
    srand(7);
    for (i = 0; i < n; i++) {
        w = "";
        for (j = 0; j < 12; j++) w = w sprintf("%c", 97 + int(rand() * 26));
        printf "https 2026-03-10T10:%02d:%02d.000000Z app/scan/0a1b2c3d4e5f6789 198.51.100.%d:4%04d - 0.000 0.002 0.000 404 404 120 90 \"GET https://shop.example:443/%s/%s HTTP/1.1\" \"scanner/1.0\" - - arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/fn/0a1b2c3d4e5f6789 \"Root=1-x\" \"-\" \"-\" 0 2026-03-10T10:00:00.000000Z \"forward\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_0\n", int(i / 60) % 60, i % 60, i % 250, i % 10000, w, substr(w, 1, 6) "x" i
    }
}' | gzip -1 > "$tmp/scan.log.gz"
echo "$lines lines, every path distinct: $(gzip -dc "$tmp/scan.log.gz" | awk '{print $14}' | sort -u | wc -l) distinct URLs"
/usr/bin/time -f "edgelog summary: %e s, peak %M KB" "$edgelog" summary -f csv -o "$tmp/out.csv" "$tmp/scan.log.gz"
echo "report rows: $(($(wc -l < "$tmp/out.csv") - 1)), last row: $(tail -1 "$tmp/out.csv" | cut -d, -f1-4)"
