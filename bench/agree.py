#!/usr/bin/env python3
"""Checks that edgelog's per-route summary agrees with an anchor's.

usage: agree.py [--name NAME] [--tolerance R] EDGELOG.csv ANCHOR.csv

EDGELOG.csv: `edgelog summary -f csv --percentiles 50,90,99` on an ALB
corpus. ANCHOR.csv: the CSV of the awk or DuckDB anchor
(../shared/anchors/alb_routes.sh, alb_routes_duckdb.sql) on the same corpus:
route,requests,s1xx..s5xx,bytes_sent,p50,p90,p99,max, latencies in seconds.

The two define a route differently, so each anchor route is mapped onto
edgelog's key (method, route) before comparing:

  anchor                          edgelog
  "METHOD /a/b"                   method METHOD, route /a/b
  "- -" (malformed request)       method and route empty
  segment {n} (all digits)        {id}
  segment {uuid}                  {uuid}
  a literal segment that edgelog  {hex} (16+ hex digits with a digit) or
  templates itself                {token} (16+ of [A-Za-z0-9_-] mixing
                                  letters and digits, 3+ switches)

When several anchor routes land on one edgelog route (a literal the anchor
keeps and edgelog templates), their counts are added and their percentiles
cannot be compared: the script says so for each such route.

Compared per route: requests, the five status classes and sent bytes
exactly; max latency exactly; p50/p90/p99 (nearest rank) exactly when the
group can hold at most 512 distinct latencies (edgelog's sketch is exact up
to 512 distinct values: the anchor's latencies are whole milliseconds, so a
group with at most 512 latencies or a max below 512 ms qualifies), else
within --tolerance (default 0.0079, the sketch's bound) of the anchor's
value. Every disagreement is printed; exit 1 if there is any, 2 on bad
input.
"""
import argparse
import csv
import re
import sys

# edgelog's own templating of literal segments (docs/RECORD.md "Routes")
HEX = re.compile(r"[0-9a-fA-F]{16,}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,}")
EXACT_DISTINCT = 512
STATUS = [("s1xx", "status_1xx"), ("s2xx", "status_2xx"), ("s3xx", "status_3xx"),
          ("s4xx", "status_4xx"), ("s5xx", "status_5xx")]
PCTS = [("p50", "latency_p50_ms"), ("p90", "latency_p90_ms"), ("p99", "latency_p99_ms")]


def fail(msg):
    print("agree.py: " + msg, file=sys.stderr)
    sys.exit(2)


def is_token(seg):
    if not TOKEN.fullmatch(seg):
        return False
    if not re.search(r"[A-Za-z]", seg) or not re.search(r"[0-9]", seg):
        return False
    switches, last = 0, None
    for ch in seg:
        kind = "a" if ch.isalpha() else "d" if ch.isdigit() else None
        if kind is None:
            continue
        if last is not None and kind != last:
            switches += 1
        last = kind
    return switches >= 3


def map_segment(seg):
    if seg == "{n}":
        return "{id}"
    if seg == "{uuid}":
        return seg
    if HEX.fullmatch(seg) and re.search(r"[0-9]", seg):
        return "{hex}"
    if is_token(seg):
        return "{token}"
    return seg


def map_route(anchor_route):
    """anchor 'METHOD /path' -> edgelog (method, route)"""
    if anchor_route == "- -":
        return ("", "")
    method, sep, path = anchor_route.partition(" ")
    if not sep:
        fail("anchor route without a method: %r" % anchor_route)
    if path == "-":
        return (method, "")
    return (method, "/".join(map_segment(s) for s in path.split("/")))


def us(text, scale):
    """a latency cell in seconds (scale 1e6) or ms (scale 1e3) -> whole us"""
    if text in ("", None):
        return None
    return round(float(text) * scale)


def num(text):
    return int(text) if text not in ("", None) else 0


def read_csv(path, need):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    if rows:
        missing = [c for c in need if c not in rows[0]]
        if missing:
            fail("%s: no column %s" % (path, ", ".join(missing)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("edgelog_csv")
    ap.add_argument("anchor_csv")
    ap.add_argument("--name", default="anchor", help="the anchor's name in messages")
    ap.add_argument("--tolerance", type=float, default=0.0079)
    args = ap.parse_args()

    el_rows = read_csv(args.edgelog_csv, ["source", "method", "route", "requests", "bytes_out",
                                          "latency_max_ms"] + [e for _, e in STATUS + PCTS])
    an_rows = read_csv(args.anchor_csv, ["route", "requests", "bytes_sent", "max"] +
                       [a for a, _ in STATUS + PCTS])

    el = {}
    for row in el_rows:
        if row["source"] != "alb":
            fail("%s: source %r: the anchors read ALB logs only" % (args.edgelog_csv, row["source"]))
        key = (row["method"], row["route"])
        if key in el:
            fail("%s: route %r %r twice" % (args.edgelog_csv, *key))
        el[key] = row

    # fold the anchor's routes onto edgelog's keys
    folded = {}
    for row in an_rows:
        folded.setdefault(map_route(row["route"]), []).append(row)

    problems = []

    def bad(key, what, anchor_value, edgelog_value, note=""):
        problems.append("%-8s %-40s %-10s %s=%s edgelog=%s%s" % (
            key[0] or "(none)", key[1] or "(none)", what, args.name, anchor_value, edgelog_value,
            "  " + note if note else ""))

    cells = exact = approx = 0
    for key in sorted(set(el) | set(folded)):
        if key not in el:
            bad(key, "route", "present", "absent",
                "(%s)" % ", ".join(r["route"] for r in folded[key]))
            continue
        if key not in folded:
            bad(key, "route", "absent", "present (%s requests)" % el[key]["requests"])
            continue
        e, group = el[key], folded[key]
        sums = {c: sum(num(r[c]) for r in group) for c in ["requests", "bytes_sent"] + [a for a, _ in STATUS]}
        for a_col, e_col in [("requests", "requests"), ("bytes_sent", "bytes_out")] + STATUS:
            cells += 1
            exact += 1
            if sums[a_col] != num(e[e_col]):
                bad(key, e_col, sums[a_col], e[e_col])
        if len(group) > 1:
            problems_note = "routes folded by edgelog: " + ", ".join(r["route"] for r in group)
            print("note: %s %s: %s; latency not compared" % (key[0], key[1], problems_note))
            continue
        a = group[0]
        a_max, e_max = us(a["max"], 1e6), us(e["latency_max_ms"], 1e3)
        cells += 1
        exact += 1
        if a_max != e_max:
            bad(key, "max", a["max"], e["latency_max_ms"], "(s vs ms)")
        requests = num(a["requests"])
        small = requests <= EXACT_DISTINCT or (a_max is not None and a_max < EXACT_DISTINCT * 1000)
        for a_col, e_col in PCTS:
            av, ev = us(a[a_col], 1e6), us(e[e_col], 1e3)
            cells += 1
            if av is None or ev is None:
                exact += 1
                if av != ev:
                    bad(key, a_col, a[a_col], e[e_col])
                continue
            if small:
                exact += 1
                if av != ev:
                    bad(key, a_col, a[a_col], e[e_col], "(exact expected: <= 512 distinct values)")
            else:
                approx += 1
                # the CSV rounds to the microsecond: allow that on top of the bound
                if abs(ev - av) > args.tolerance * av + 1:
                    bad(key, a_col, a[a_col], e[e_col], "(%.2f %% off, bound %.2f %%)" % (
                        100.0 * abs(ev - av) / av if av else float("inf"), 100 * args.tolerance))

    for p in problems:
        print("DIFFERS " + p)
    print("%s vs edgelog: %d %s routes -> %d edgelog routes, %d cells compared (%d exactly, %d within "
          "%.2f %%): %s" % (args.name, len(an_rows), args.name, len(el), cells, exact, approx,
                            100 * args.tolerance,
                            "%d disagreements" % len(problems) if problems else "all agree"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
