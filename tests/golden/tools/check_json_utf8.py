#!/usr/bin/env python3
"""check_json_utf8.py FILE...: each file must be strictly valid UTF-8 and
valid JSON (a document, or JSON Lines when the name ends in .jsonl), as a
consumer such as jq or a browser requires. Prints one line per file with the
objects read and the number of U+FFFD (bytes that were not UTF-8) and NUL
characters in their strings."""
import json
import sys


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def main(files):
    status = 0
    for path in files:
        name = path.rsplit("/", 1)[-1]
        try:
            text = open(path, "rb").read().decode("utf-8")
            if path.endswith(".jsonl"):
                docs = [json.loads(l) for l in text.splitlines() if l]
            else:
                d = json.loads(text)
                docs = d if isinstance(d, list) else [d]
        except (UnicodeDecodeError, ValueError) as e:
            print(f"{name}: invalid: {e}")
            status = 1
            continue
        all_s = [s for d in docs for s in strings(d)]
        fffd = sum(s.count("\ufffd") for s in all_s)
        nul = sum(s.count("\0") for s in all_s)
        print(f"{name}: {len(docs)} objects, valid UTF-8 JSON, {fffd} U+FFFD, {nul} NUL")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
