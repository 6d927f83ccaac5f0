"""Do four-body invariants help a model fit the surface frames? An energy-only linear probe.

Per atom, moments of the neighbour directions over six radial bumps R_a (centres 2.2-4.9 A,
width 0.45 A, cosine cutoff at 5.2 A):
    m0_a = sum_j R_a(r_ij),  m1_a = sum_j R_a(r_ij) u_ij,  m2_a = sum_j R_a(r_ij) (u_ij u_ij - I/3),
and their invariants: two-body m0_a (6); three-body m1_a.m1_b and m2_a:m2_b (a <= b; 42);
four-body m1_a.m2_b.m1_c and tr(m2_a m2_b m2_c) (182), or only their diagonal a = b = c (12).
A frame's energy per atom is fitted as a ridge regression on the per-atom means of the
invariants (energies only, no forces), 10-fold cross-validated with the ridge strength
chosen per feature set; printed: the cross-validated energy MAE by config_type.

    python3 examples/studies/four_body_probe.py ../shared/data/mlearn/Mo/train.xyz
"""
import sys

import numpy as np
from ase.io import read
from ase.neighborlist import neighbor_list

CUTOFF = 5.2
CENTRES = np.linspace(2.2, 4.9, 6)
WIDTH = 0.45
A = len(CENTRES)
FOUR_1 = [(a, b, c) for a in range(A) for b in range(A) for c in range(a, A)]
FOUR_2 = [(a, b, c) for a in range(A) for b in range(a, A) for c in range(b, A)]
DIAGONAL = [FOUR_1.index((a, a, a)) for a in range(A)] + [len(FOUR_1) + FOUR_2.index((a, a, a)) for a in range(A)]


def invariants(atoms):
    """Two-, three- and four-body invariants of every atom, each summed over the atoms."""
    i, d = neighbor_list("iD", atoms, CUTOFF)
    r = np.linalg.norm(d, axis=1)
    u = d / r[:, None]
    radial = np.exp(-((r[:, None] - CENTRES) / WIDTH) ** 2) * (0.5 * (np.cos(np.pi * r / CUTOFF) + 1))[:, None]
    n = len(atoms)
    m0, m1, m2 = np.zeros((n, A)), np.zeros((n, A, 3)), np.zeros((n, A, 3, 3))
    np.add.at(m0, i, radial)
    np.add.at(m1, i, radial[:, :, None] * u[:, None, :])
    np.add.at(m2, i, radial[:, :, None, None] * (u[:, :, None] * u[:, None, :] - np.eye(3) / 3)[:, None])
    upper = np.triu_indices(A)
    three = np.concatenate([np.einsum("nax,nbx->nab", m1, m1)[:, upper[0], upper[1]],
                            np.einsum("naxy,nbxy->nab", m2, m2)[:, upper[0], upper[1]]], axis=1)
    t1 = np.einsum("nax,nbxy,ncy->nabc", m1, m2, m1)
    t2 = np.einsum("naxy,nbyz,nczx->nabc", m2, m2, m2)
    four = np.concatenate([np.stack([t1[:, a, b, c] for a, b, c in FOUR_1], axis=1),
                           np.stack([t2[:, a, b, c] for a, b, c in FOUR_2], axis=1)], axis=1)
    return m0.sum(0), three.sum(0), four.sum(0)


def cross_validated(x, energy, groups):
    """10-fold CV of a ridge fit (best strength of a small grid): MAE overall and by group (meV/atom)."""
    folds = np.array_split(np.random.default_rng(0).permutation(len(energy)), 10)
    best = None
    for strength in [1e-6, 1e-5, 1e-4, 1e-3, 1e-2]:
        predicted = np.zeros_like(energy)
        for held in folds:
            train = np.setdiff1d(np.arange(len(energy)), held)
            mean, std = x[train].mean(0), x[train].std(0) + 1e-12
            design = np.c_[(x[train] - mean) / std, np.ones(len(train))]
            penalty = strength * len(train) * np.diag(np.r_[np.ones(x.shape[1]), 0])
            w = np.linalg.solve(design.T @ design + penalty, design.T @ energy[train])
            predicted[held] = np.c_[(x[held] - mean) / std, np.ones(len(held))] @ w
        error = np.abs(predicted - energy) * 1000
        if best is None or error.mean() < best[0]:
            best = (error.mean(), strength, {g: error[groups == g].mean() for g in sorted(set(groups))})
    return best


def main(path):
    frames = read(path, ":")
    energy = np.array([a.get_potential_energy() / len(a) for a in frames])
    groups = np.array([a.info.get("config_type", "-") for a in frames])
    per_atom = [[part / len(a) for part in invariants(a)] for a in frames]
    two, three, four = (np.stack([p[k] for p in per_atom]) for k in range(3))
    sets = {
        "two-body": two,
        "two + three-body": np.c_[two, three],
        "two + three + four-body (diagonal)": np.c_[two, three, four[:, DIAGONAL]],
        "two + three + four-body (all)": np.c_[two, three, four],
    }
    names = sorted(set(groups))
    print(f"{path}: {len(frames)} frames; ridge on energies only, 10-fold cross-validated MAE (meV/atom)")
    print("| invariants | count | ridge | all | " + " | ".join(names) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(names))
    for name, x in sets.items():
        mae, strength, by_group = cross_validated(x, energy, groups)
        print(f"| {name} | {x.shape[1]} | {strength:g} | {mae:.1f} | " + " | ".join(f"{by_group[g]:.1f}" for g in names) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
