"""Microseconds per atom-step of each timed style in a bench.in log.

    python3 times.py LOG [label ...]
    python3 times.py --header LOG [label-name ...]

Prints one line: the atom count, the labels, then µs/atom-step of every style in
the order they ran, then each style's ratio to meam/spline (when it ran). With
--header, the column names of that line instead (the styles of LOG, in the same
order), so that a table whose styles differ from element to element stays readable.
Wall time per atom-step = loop time / (steps × atoms) of the timed "run N pre no".
"""
import re
import sys


def times(log):
    us, name, natoms = {}, None, 0
    for line in open(log):
        m = re.match(r"@@BEGIN (\S+) natoms=(\d+)", line)
        if m:
            name, natoms = m.group(1), int(m.group(2))
            continue
        m = re.match(r"Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", line)
        if m and name:
            us[name] = float(m.group(1)) / (int(m.group(3)) * int(m.group(4))) * 1e6
            name = None
    return natoms, us


if __name__ == "__main__":
    if sys.argv[1] == "--header":
        _, us = times(sys.argv[2])
        cells = ["atoms  "] + [f"{label:>6}" for label in sys.argv[3:]]
        cells += [f"{k.replace('meamspline', 'meam') + '_us':>12}" for k in us]
        if "meamspline" in us:
            cells += [f"{k + '/meam':>10}" for k in us if k != "meamspline"]
        print(" ".join(cells))
        sys.exit(0)
    natoms, us = times(sys.argv[1])
    cells = [f"{natoms:<7d}"] + [f"{label:>6}" for label in sys.argv[2:]]
    cells += [f"{v:12.3f}" for v in us.values()]
    if "meamspline" in us:
        cells += [f"{v / us['meamspline']:10.3f}" for k, v in us.items() if k != "meamspline"]
    print(" ".join(cells))
