#!/usr/bin/env python3
"""Turns the harness's per-corpus results into one Markdown report.

usage: report.py RESULTS_DIR CORPUS...

Reads RESULTS_DIR/CORPUS.tsv (written by bench.sh) and CORPUS.agree.txt
when present, for each CORPUS name (alb-2000000, alb-s3-2000000-20, ...),
and prints: one table of every tool on every corpus, the performance
issue's targets read off it, and the agreement results.
"""
import csv
import os
import sys

NAMES = {
    "zcat": "`zcat` (floor)",
    "inflate-zlib": "zlib inflate alone (el_inflate_floor)",
    "inflate-isal": "ISA-L inflate alone (el_inflate_floor)",
    "awk-mawk": "awk anchor (mawk + sort)",
    "duckdb": "DuckDB 1.5.6 (node-api)",
    "goaccess": "goaccess (`zcat | goaccess -`)",
}
# the targets of the performance issue, on the summary command
ALB_ZLIB, ALB_ISAL, S3, EXEC_PER_BYTE, PEAK_MIB = 0.40, 0.25, 0.30, 1.5, 64


def tool_name(tool):
    if tool in NAMES:
        return NAMES[tool]
    cmd, _, label = tool.partition("@")
    return "edgelog %s%s" % (cmd, " [%s]" % label if label else "")


def kind(corpus):
    return corpus.split("-")[0] if not corpus.startswith("alb-s3") else "alb-s3"


def thousands(x):
    x = float(x)
    return "%.2f M" % (x / 1e6) if x >= 1e6 else "%.0f k" % (x / 1e3)


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    results, corpora = sys.argv[1], sys.argv[2:]
    rows = []
    for c in corpora:
        path = os.path.join(results, c + ".tsv")
        if not os.path.exists(path):
            print("report.py: no %s" % path, file=sys.stderr)
            return 2
        with open(path, newline="") as f:
            rows += list(csv.DictReader(f, delimiter="\t"))

    print("| corpus | tool | runs | wall s | user+sys s | peak MiB | MB/s | lines/s | ns/B | vs zcat |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        ratio = float(r["wall_vs_zcat"])
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %s |" % (
            r["corpus"], tool_name(r["tool"]), r["runs"], r["median_wall_s"], r["median_cpu_s"],
            r["peak_mib"], r["mb_per_s"], thousands(r["lines_per_s"]), float(r["wall_ns_per_byte"]),
            "**%.2f**" % ratio if r["tool"].startswith("summary") else "%.2f" % ratio))

    # --- targets ----------------------------------------------------------
    by = {(kind(r["corpus"]), r["tool"]): r for r in rows}
    print()
    print("| target (summary, ratio to zcat in the same run) | measured | wall / inflate alone | met |")
    print("| --- | ---: | ---: | --- |")

    def line(what, value, limit, fmt="%.2f", floor=""):
        print("| %s | %s | %s | %s |" % (what, fmt % value, floor, "yes" if value <= limit else "**no**"))

    def over_floor(k, r, label):
        """edgelog's wall time over the inflate-alone floor of its backend"""
        backend = "isal" if "isal" in label.lower() else "zlib"
        f = by.get((k, "inflate-" + backend))
        return "%.2f" % (float(r["median_wall_s"]) / float(f["median_wall_s"])) if f else ""

    for (k, tool), r in sorted(by.items()):
        if not tool.startswith("summary"):
            continue
        label = tool.partition("@")[2]
        if not label:
            label = "default (%s)" % (os.environ.get("EL_DEFAULT_INFLATE") or "zlib")
        ratio = float(r["wall_vs_zcat"])
        if k == "alb":
            limit = ALB_ISAL if "isal" in label.lower() else ALB_ZLIB
            line("ALB, one .gz, %s <= %.2fx" % (label, limit), ratio, limit,
                 floor=over_floor(k, r, label))
        elif k == "alb-s3":
            line("ALB, 20 files S3 layout, %s <= %.2fx" % (label, S3), ratio, S3,
                 floor=over_floor(k, r, label))
        elif k == "exec" and ("alb", tool) in by:
            alb = by[("alb", tool)]
            for col, what in (("wall_ns_per_byte", "wall"), ("cpu_ns_per_byte", "user+sys")):
                per = float(r[col]) / float(alb[col])
                line("exec ns/B over ALB ns/B (%s), %s <= %.1f" % (what, label, EXEC_PER_BYTE),
                     per, EXEC_PER_BYTE)
    # memory: the largest peak of each command over the corpora
    peaks = {}
    for r in rows:
        if r["tool"] in NAMES:
            continue
        cmd = r["tool"].partition("@")[0]
        if cmd not in peaks or float(r["peak_mib"]) > float(peaks[cmd]["peak_mib"]):
            peaks[cmd] = r
    for cmd, r in peaks.items():
        line("peak memory of edgelog %s <= %d MiB (largest: %s, %s)" % (
            cmd, PEAK_MIB, tool_name(r["tool"]), r["corpus"]), float(r["peak_mib"]), PEAK_MIB, "%.1f MiB")

    # --- agreement --------------------------------------------------------
    agree = [c for c in corpora if os.path.exists(os.path.join(results, c + ".agree.txt"))]
    if agree:
        print()
        for c in agree:
            with open(os.path.join(results, c + ".agree.txt")) as f:
                for text in f.read().splitlines():
                    print("- %s: %s" % (c, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
