#!/usr/bin/env python3
"""Filter extended-XYZ frames by config_type (stdlib only).

usage: xyzfilter.py IN.xyz OUT.xyz [--keep T1,T2 | --drop T1,T2] [--every N]
"""
import re, sys

def frames(path):
    with open(path) as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1; continue
        n = int(lines[i])
        yield lines[i:i + n + 2]
        i += n + 2

def config_type(header):
    m = re.search(r'config_type=("([^"]*)"|(\S+))', header)
    return (m.group(2) or m.group(3)) if m else ""

def main(a):
    src, dst = a[0], a[1]
    keep = drop = None; every = 1
    i = 2
    while i < len(a):
        if a[i] == "--keep": keep = set(a[i + 1].split(",")); i += 2
        elif a[i] == "--drop": drop = set(a[i + 1].split(",")); i += 2
        elif a[i] == "--every": every = int(a[i + 1]); i += 2
        else: sys.exit("unknown option " + a[i])
    out, k, n = [], 0, 0
    for fr in frames(src):
        ct = config_type(fr[1])
        if keep is not None and ct not in keep: continue
        if drop is not None and ct in drop: continue
        k += 1
        if (k - 1) % every: continue
        out.extend(fr); n += 1
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"{dst}: {n} frames", file=sys.stderr)

if __name__ == "__main__":
    main(sys.argv[1:])
