#!/usr/bin/env python3
"""Uncertainty study helpers (stdlib only); every number in
docs/studies/uncertainty.md is printed by one of these subcommands.

  analyze.py ood SNNP POT IN.xyz OOD.xyz LABEL   in- vs out-of-distribution grades / spreads
  analyze.py pooled SNNP POT1 VAL1 POT2 VAL2 ... Spearman over several fits' validation frames
  analyze.py headmean SNNP POT DATA H1 H2 ...    committee energy = mean of its heads?
  analyze.py mae SNNP POT DATA.xyz LABEL         energy / force MAE (snnp eval --json summary)
  analyze.py onehead POT OUT [N]                 copy of a committee file keeping head N (default 1) only
  analyze.py types DATA.xyz                      config_type counts of a file
"""
import json, math, re, subprocess, sys

def run_eval(snnp, pot, data):
    out = subprocess.run([snnp, "eval", pot, data, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)

def rows(doc):
    r = []
    for f in doc["frames"]:
        err = None
        if f.get("reference_energy") is not None:
            err = abs(f["energy"] - f["reference_energy"]) / f["natoms"]
        r.append(dict(ct=f.get("config_type"), grade=f.get("max_grade"),
                      # --json energy_spread is the frame's total spread (eV);
                      # the text table prints it per atom: use per atom here.
                      sigma=f["energy_spread"] / f["natoms"],
                      msig=max(f["sigmas"]) if f.get("sigmas") else 0.0, err=err))
    return r

def percentile(xs, q):
    """Linear interpolation between order statistics (numpy's default)."""
    s = sorted(xs)
    if not s: return float("nan")
    pos = (len(s) - 1) * q / 100.0
    lo = int(math.floor(pos)); hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)

def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs); i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]: j += 1
        for k in range(i, j + 1): r[order[k]] = (i + j) / 2.0 + 1
        i = j + 1
    return r

def spearman(x, y):
    if len(x) < 3: return float("nan")
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx); syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")

def ood(snnp, pot, ind, odd, label):
    a, b = rows(run_eval(snnp, pot, ind)), rows(run_eval(snnp, pot, odd))
    res = {"label": label, "n_in": len(a), "n_ood": len(b)}
    print(f"== {label}: {len(a)} in-distribution (validation) frames, {len(b)} OOD frames")
    print(f"{'quantity':11s} {'in max':>9s} {'in p99':>9s} {'OOD min':>9s} {'OOD median':>11s} {'OOD > p99':>10s}")
    for key, scale, name in (("grade", 1.0, "max grade"), ("sigma", 1000.0, "sigma_E"), ("msig", 1000.0, "max sigma_i")):
        xi = [r[key] * scale for r in a]; xo = [r[key] * scale for r in b]
        p99 = percentile(xi, 99)
        frac = sum(x > p99 for x in xo) / len(xo)
        print(f"{name:11s} {max(xi):9.3f} {p99:9.3f} {min(xo):9.3f} {percentile(xo, 50):11.3f} {100 * frac:9.1f}%")
        res[key] = dict(in_max=max(xi), in_p99=p99, ood_min=min(xo), ood_median=percentile(xo, 50), frac_above=frac)
    print("(sigma_E: committee spread of the frame energy per atom, meV/atom; max sigma_i: largest per-atom spread, meV)")
    ref = [r for r in a if r["err"] is not None]
    err = [r["err"] for r in ref]
    rs = spearman([r["sigma"] for r in ref], err); rg = spearman([r["grade"] for r in ref], err)
    rm = spearman([r["msig"] for r in ref], err)
    print(f"Spearman with |E error| over {len(ref)} validation frames: sigma_E {rs:.3f}, max grade {rg:.3f}, max sigma_i {rm:.3f}")
    allr = a + b
    ea = [r["err"] for r in allr]
    rs2 = spearman([r["sigma"] for r in allr], ea); rg2 = spearman([r["grade"] for r in allr], ea)
    rm2 = spearman([r["msig"] for r in allr], ea)
    print(f"Spearman with |E error| over {len(allr)} validation+OOD frames: sigma_E {rs2:.3f}, max grade {rg2:.3f}, max sigma_i {rm2:.3f}")
    print(f"|E error| meV/atom: validation median {1000 * percentile(err, 50):.2f}, OOD median {1000 * percentile([r['err'] for r in b], 50):.2f}")
    res.update(spearman_val_sigma=rs, spearman_val_grade=rg, spearman_val_max_sigma_i=rm, spearman_all_max_sigma_i=rm2, spearman_all_sigma=rs2, spearman_all_grade=rg2)
    print("JSON " + json.dumps(res))

def pooled(snnp, *pairs):
    """Spearman over the validation frames of several fits pooled (POT VAL ...)."""
    allr = []
    for pot, val in zip(pairs[0::2], pairs[1::2]):
        allr += [r for r in rows(run_eval(snnp, pot, val)) if r["err"] is not None]
    err = [r["err"] for r in allr]
    print(f"pooled validation frames of {len(pairs) // 2} fits: {len(allr)} frames; Spearman with |E error|: "
          f"sigma_E {spearman([r['sigma'] for r in allr], err):.3f}, max grade {spearman([r['grade'] for r in allr], err):.3f}, "
          f"max sigma_i {spearman([r['msig'] for r in allr], err):.3f}")

def headmean(snnp, pot, data, *heads):
    """Committee energy vs the mean of one-head files; spread vs their std."""
    c = run_eval(snnp, pot, data)["frames"]
    h = [run_eval(snnp, p, data)["frames"] for p in heads]
    dm = ds0 = ds1 = 0.0
    maes = []
    for hh in h:
        e = [abs(f["energy"] - f["reference_energy"]) / f["natoms"] for f in hh]
        maes.append(1000 * sum(e) / len(e))
    print("head energy MAEs (meV/atom, from --json frames): " + ", ".join(f"{m:.3f}" for m in maes)
          + f"; mean of heads {sum(maes) / len(maes):.3f}")
    for k, f in enumerate(c):
        e = [hh[k]["energy"] for hh in h]; m = sum(e) / len(e)
        v = sum((x - m) ** 2 for x in e)
        dm = max(dm, abs(m - f["energy"]))
        ds0 = max(ds0, abs(math.sqrt(v / len(e)) - f["energy_spread"]))
        ds1 = max(ds1, abs(math.sqrt(v / (len(e) - 1)) - f["energy_spread"]))
    print(f"{len(c)} frames: max |committee E - mean of {len(h)} one-head files| {dm:.2e} eV; "
          f"max |energy_spread - std of heads| {ds0:.2e} eV (1/K), {ds1:.2e} eV (1/(K-1))")

def spreadunits(snnp, pot, data):
    f = run_eval(snnp, pot, data)["frames"][0]
    print(f"frame 0 of {data}: --json energy_spread {f['energy_spread']:.6f} with natoms {f['natoms']}"
          f" ({1000 * f['energy_spread'] / f['natoms']:.3f} meV/atom)")

def mae(snnp, pot, data, label):
    s = run_eval(snnp, pot, data)["summary"]["all"]
    print(f"{label:40s} E MAE {s['energy_mae_meV_per_atom']:8.3f} meV/atom  F MAE {s['force_mae_eV_per_A']:.4f} eV/A  ({s['frames']} frames)")

def onehead(src, dst, head="1"):
    """Keep regressor block number `head` (1-based) of every element; drop `committee`."""
    out, count, skipping = [], {}, False
    for line in open(src).read().splitlines():
        w = line.split()
        if w and w[0] == "committee": continue
        if w and w[0] == "regressor":
            count[w[1]] = count.get(w[1], 0) + 1
            skipping = count[w[1]] != int(head)
            if skipping: continue
        elif skipping and w and w[0] in ("layer", "row"):
            continue
        else:
            skipping = False
        out.append(line)
    open(dst, "w").write("\n".join(out) + "\n")

def types(path):
    c = {}
    for m in re.finditer(r'config_type=("([^"]*)"|(\S+))', open(path).read()):
        t = m.group(2) or m.group(3); c[t] = c.get(t, 0) + 1
    print(path + ": " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))

if __name__ == "__main__":
    cmd, a = sys.argv[1], sys.argv[2:]
    {"ood": lambda: ood(*a), "pooled": lambda: pooled(*a), "mae": lambda: mae(*a), "spreadunits": lambda: spreadunits(*a), "headmean": lambda: headmean(*a), "onehead": lambda: onehead(*a), "types": lambda: types(*a)}[cmd]()
