#!/usr/bin/env python3
"""The floors of lostflush, and the arrows between them: a file may include
a file on its own floor or below, never above. model/ and oracle/ share a
floor (they share plain data types; the model declares revocations to the
oracle's ledger). litmus/, the litmus-test subject, stands beside workers/:
both put a subject on the engine.

    layering.py [--root DIR]

Prints every arrow that runs up, one per line, and exits 1 if there is one.
"""
import os
import re
import sys

FLOORS = {
    "engine": 0,
    "model": 1, "oracle": 1,
    "arch": 2, "real": 2,
    "workers": 3, "litmus": 3,
    "scenarios": 4,
    "reports": 5,
    "cli": 6,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def floor_of(path):
    top = path.split(os.sep, 1)[0]
    return top if top in FLOORS else None


def arrows_up(root):
    bad = []
    for floor in FLOORS:
        for dirpath, _, files in os.walk(os.path.join(root, floor)):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                text = open(path, errors="replace").read()
                for m in INCLUDE.finditer(text):
                    target = os.path.relpath(
                        os.path.normpath(os.path.join(os.path.dirname(path), m.group(1))), root)
                    to = floor_of(target)
                    if to and FLOORS[to] > FLOORS[floor]:
                        line = text.count("\n", 0, m.start()) + 1
                        bad.append("%s:%d: %s/ includes %s: an arrow up (%s/ stands above %s/)"
                                   % (rel, line, floor, target, to, floor))
    return bad


def main():
    root = "."
    if len(sys.argv) == 3 and sys.argv[1] == "--root":
        root = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit(__doc__)
    bad = arrows_up(root)
    for b in bad:
        print(b)
    print("layering: %d arrows up" % len(bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
