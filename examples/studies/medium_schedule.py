"""Fit variants of a recipe on the studies' medium schedule and print their validation errors.

The schedule is the same for every variant: 200 AMSGrad epochs (milestones 140, 180),
200 L-BFGS iterations, a stratified 10 % validation split (every config_type its share).
Each variant is the recipe with some keys replaced (a JSON object); a variant whose fit
finished before (OUT/<name>/best.ckpt) is not refitted.

    python3 examples/studies/medium_schedule.py RECIPE.json OUT NAME='{"key": value}' ... \
        [--run NAME ...] [--threads N] [--snnp PATH]
"""
import argparse
import json
import os
import re
import subprocess
import sys

MEDIUM = {"stratify_split": True, "epochs": 200, "milestones": [140, 180], "polish_epochs": 200}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("recipe")
    p.add_argument("out")
    p.add_argument("variants", nargs="+", help="NAME=JSON: the recipe's keys that change")
    p.add_argument("--run", nargs="*", help="the variants to fit (default: all)")
    p.add_argument("--threads", default="1")
    p.add_argument("--snnp", default=".build/release/snnp")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    base = dict(json.load(open(args.recipe)), **MEDIUM)
    variants = {}
    for v in args.variants:
        name, _, extra = v.partition("=")
        variants[name] = json.loads(extra or "{}")
    print("%-20s %12s %12s %10s" % ("variant", "E_meV_atom", "F_eV_A", "fit_s"), flush=True)
    for name in args.run or list(variants):
        extra = variants[name]
        config = dict(base, **extra, output=f"{args.out}/{name}")
        if "three_body_basis" in extra and "three_body" not in extra:
            config.pop("three_body", None)  # the tensor basis sets N3
        path = f"{args.out}/{name}.json"
        json.dump(config, open(path, "w"), indent=1)
        log = f"{args.out}/{name}.out"
        if not os.path.exists(f"{args.out}/{name}/best.ckpt"):
            with open(log, "w") as out:
                if subprocess.call([args.snnp, "fit", "--config", path, "--threads", args.threads],
                                   stdout=out, stderr=subprocess.STDOUT):
                    sys.exit(f"{name}: snnp fit failed, see {log}")
        m = re.search(r"done in (\d+) s; .*energy MAE ([0-9.]+) .*force MAE ([0-9.]+)", open(log).read())
        print("%-20s %12s %12s %10s" % (name, m.group(2), m.group(3), m.group(1)), flush=True)


if __name__ == "__main__":
    main()
