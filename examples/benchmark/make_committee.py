"""Writes a K-head committee file with the filters of a one-head .snnp file: every
element's network repeated K times (`committee K` before the regressors). The heads
are copies, so sigma = 0, but the kernel evaluates each of them: the file costs what a
fitted committee with these filters costs. For the cost benchmark only.

    python3 examples/benchmark/make_committee.py potentials/Mo.int-all.snnp 4 > /tmp/Mo.k4.snnp
"""
import sys

path, k = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
out, block = [], []
def flush():
    out.extend(block * k)
    block.clear()
for line in lines:
    word = line.split()[0] if line.split() else ""
    if word == "regressor":
        flush()
        if not any(l.startswith("committee ") for l in out):
            out.append(f"committee {k}")
        block.append(line)
    elif block and word in ("layer", "row"):
        block.append(line)
    else:
        flush()
        out.append(line)
flush()
print("\n".join(out))
