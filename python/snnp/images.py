"""Periodic images within a cutoff as ghost atoms, for the kernel's local + ghost layout."""

import math

import numpy as np


def periodic_images(positions, cell, pbc, cutoff):
    """Ghost atoms: every periodic image within `cutoff` of the cell.

    Returns (ghost positions (m, 3), owner index of each ghost (m,)). The positions
    should be wrapped into the cell along periodic directions; an image is kept when its
    fractional coordinates lie within cutoff / (plane spacing) of [0, 1) in every
    periodic direction, which keeps every neighbour of every atom (distance >=
    plane-normal distance).
    """
    cell = np.asarray(cell, dtype=float)
    pbc = np.asarray(pbc, dtype=bool)
    n = len(positions)
    if not pbc.any():
        return np.zeros((0, 3)), np.zeros(0, dtype=int)
    if abs(np.linalg.det(cell)) < 1e-12:
        raise ValueError("snnp: periodic cell has zero volume")
    recip = np.linalg.inv(cell).T  # rows: reciprocal vectors b_d with a_i . b_d = delta_id
    spacing = 1.0 / np.linalg.norm(recip, axis=1)  # distance between lattice planes (Å)
    reach = np.where(pbc, cutoff / spacing, 0.0)  # margin in fractional units
    counts = [int(math.ceil(reach[d])) if pbc[d] else 0 for d in range(3)]
    frac = positions @ np.linalg.inv(cell)
    ghosts, owners = [], []
    for i in range(-counts[0], counts[0] + 1):
        for j in range(-counts[1], counts[1] + 1):
            for k in range(-counts[2], counts[2] + 1):
                if i == j == k == 0:
                    continue
                shifted = frac + np.array([i, j, k], dtype=float)
                keep = np.ones(n, dtype=bool)
                for d in range(3):
                    if pbc[d]:
                        keep &= (shifted[:, d] > -reach[d]) & (shifted[:, d] < 1.0 + reach[d])
                if keep.any():
                    ghosts.append(shifted[keep] @ cell)
                    owners.append(np.nonzero(keep)[0])
    if not ghosts:
        return np.zeros((0, 3)), np.zeros(0, dtype=int)
    return np.concatenate(ghosts), np.concatenate(owners)
