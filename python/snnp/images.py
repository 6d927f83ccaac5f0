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
    cell = np.array(cell, dtype=float)
    pbc = np.asarray(pbc, dtype=bool)
    n = len(positions)
    if not pbc.any():
        return np.zeros((0, 3)), np.zeros(0, dtype=int)
    # A non-periodic direction may have no cell vector (an ASE slab with pbc T T F and
    # c = 0): any vector out of the periodic plane serves, since no image is made along it.
    for d in range(3):
        if not pbc[d] and np.linalg.norm(cell[d]) < 1e-9:
            a, b = cell[(d + 1) % 3], cell[(d + 2) % 3]
            normal = np.cross(a, b)
            if np.linalg.norm(normal) < 1e-12:  # one periodic direction: any perpendicular
                normal = np.cross(a if np.linalg.norm(a) > 0 else b, [1.0, 0.0, 0.0])
                if np.linalg.norm(normal) < 1e-12:
                    normal = np.cross(a if np.linalg.norm(a) > 0 else b, [0.0, 1.0, 0.0])
            cell[d] = normal / np.linalg.norm(normal)
    lengths = np.linalg.norm(cell, axis=1)
    volume = abs(np.linalg.det(cell))
    if not np.all(np.isfinite(cell)) or lengths.min() == 0 or volume < 1e-8 * np.prod(lengths):
        raise ValueError(f"snnp: the periodic cell is singular or nearly so (volume {volume:.3g} Å³ for "
                         f"cell vectors of {', '.join(f'{x:.3g}' for x in lengths)} Å)")
    if pbc.all():
        # The kernel's bound (InputLimits.maxNeighbors in the Swift geometry), checked before
        # building images: a dense cell would otherwise need millions of them first.
        neighbours = n / volume * 4.0 / 3.0 * math.pi * cutoff**3
        if neighbours > 3000:
            raise ValueError(f"snnp: about {neighbours:.0f} neighbours per atom within the cutoff {cutoff} Å, "
                             f"more than the 3000 supported (atoms {n / volume:.3g} per Å³: a cell too small "
                             f"or atoms too dense)")
    recip = np.linalg.inv(cell).T  # rows: reciprocal vectors b_d with a_i . b_d = delta_id
    spacing = 1.0 / np.linalg.norm(recip, axis=1)  # distance between lattice planes (Å)
    reach = np.where(pbc, cutoff / spacing, 0.0)  # margin in fractional units
    counts = [int(math.ceil(reach[d])) if pbc[d] else 0 for d in range(3)]
    # The same bound as the Swift geometry (InputLimits): never build an absurd number of images.
    images = n * float(np.prod([2 * c + 1 for c in counts]))
    if images > 2e7:
        raise ValueError(f"snnp: the cell is too small for the cutoff {cutoff} Å: {counts[0]} x {counts[1]} x "
                         f"{counts[2]} periodic images on each side would make {images:.3g} atoms "
                         f"(the limit is 2e7); use a larger cell")
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
