#!/usr/bin/env python3
"""check_csv_safe.py [--raw] FILE...: opens edgelog's CSV reports as a
spreadsheet would (Python's csv module) and checks the CSV-injection guard
(docs/OUTPUTS.md): no cell starts with = + - @ TAB or CR unless it is a
number edgelog wrote (such as "-2.000"). Prints one line per file: rows,
cells that start with a quote (neutralised), and formula cells. With
--raw (output of --csv-raw) formula cells are expected and only counted.
Exit 1 when a file has a formula cell without --raw."""
import csv
import re
import sys

NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DANGER = ("=", "+", "-", "@", "\t", "\r")


def main(argv):
    raw = argv[:1] == ["--raw"]
    files = argv[1:] if raw else argv
    status = 0
    for path in files:
        rows = quoted = formulas = 0
        bad = []
        with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
            for row in csv.reader(f):
                rows += 1
                for cell in row:
                    if cell.startswith("'") and cell[1:2] in DANGER and cell[1:2]:
                        quoted += 1
                    if cell.startswith(DANGER) and not NUMBER.fullmatch(cell):
                        formulas += 1
                        bad.append(cell)
        name = path.rsplit("/", 1)[-1]
        print(f"{name}: {rows} rows, {quoted} neutralised, {formulas} formula cells")
        if bad and not raw:
            status = 1
            for cell in bad:
                print(f"  unsafe cell: {cell!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
