"""Where did every numbered line go? Reads every file in a directory (gunzips .gz).

    python3 checker.py DIR [NAME=FIRST-LAST ...]    e.g. before=1-3 after=4-5

For each group it prints the files its lines are in; then lines that are in no file
(lost), lines in two files (duplicated), and NUL bytes (holes).
"""

import gzip
import os
import re
import sys
import tempfile


def read_dir(directory: str) -> dict[str, bytes]:
    out = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not os.path.isfile(path) or not name.startswith("app.log"):
            continue
        with (gzip.open if name.endswith(".gz") else open)(path, "rb") as f:
            out[name] = f.read()
    return out


def report(directory: str, groups: dict[str, range]) -> list[str]:
    files = read_dir(directory)
    where: dict[int, list[str]] = {}
    for name, data in files.items():
        for number in re.findall(rb"(\d{6})\n", data):
            where.setdefault(int(number), []).append(name)
    lines = []
    for group, numbers in groups.items():
        found = sorted({f for n in numbers for f in where.get(n, ["LOST"])})
        lines.append(f"{group}: {' '.join(found)}")
    last = max((n for r in groups.values() for n in r), default=max(where, default=0))
    lost = [n for n in range(1, last + 1) if n not in where]
    dup = [n for n, names in sorted(where.items()) if len(names) > 1]
    nul = sum(data.count(0) for data in files.values())
    lines.append(f"lost={len(lost)} duplicated={len(dup)} nul_bytes={nul}")
    return lines


GROUP = re.compile(r"([\w-]+)=(\d+)-(\d+)")


def parse_groups(args: list[str]) -> dict[str, range]:
    groups = {}
    for arg in args:
        name, first, last = GROUP.fullmatch(arg).groups()
        groups[name] = range(int(first), int(last) + 1)
    return groups


def main(argv: list[str]) -> None:
    if len(argv) >= 2 and os.path.isdir(argv[0]) and all(GROUP.fullmatch(a) for a in argv[1:]):
        print("\n".join(report(argv[0], parse_groups(argv[1:]))))
        return
    # A demonstration on made-up files: a rotated log, and a live log with a hole.
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "app.log.1"), "wb") as f:
            f.write(b"000001\n000002\n000003\n")
        with open(os.path.join(d, "app.log"), "wb") as f:
            f.write(b"\0" * 28 + b"000005\n")
        for line in report(d, parse_groups(["before=1-3", "during=4-4", "after=5-5"])):
            print(line)
            #> before: app.log.1
            #> during: LOST
            #> after: app.log
            #> lost=1 duplicated=0 nul_bytes=28


if __name__ == "__main__":
    main(sys.argv[1:])
