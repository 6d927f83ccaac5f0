"""How many directions do a potential's filter vectors G_i really span on a data set?

Evaluates every atom's filter vector G_i (the network's input) through the snnp kernel,
standardises each filter over the atoms and prints the eigenvalues of their correlation
matrix, the participation ratio (sum lambda)^2 / sum lambda^2 (1 when all filters move
together, N when all N are uncorrelated and equally spread) and each filter's largest
correlation with another one.

    python3 examples/studies/filter_dimension.py potentials/Mo.int-all.snnp ../shared/data/mlearn/Mo/train.xyz
"""
import sys

import numpy as np
from ase.io import read

from snnp.images import periodic_images
from snnp.kernel import Model


def filter_vectors(potential, data):
    """G_i of every atom of every frame of `data` (rows), as the kernel computes them."""
    model = Model(potential)
    rows = []
    for atoms in read(data, ":"):
        species = model.species_indices(atoms.get_chemical_symbols())
        positions = atoms.get_positions(wrap=True)
        ghosts, owners = periodic_images(positions, atoms.cell.array, np.array(atoms.pbc), model.cutoff)
        out = model.compute(np.vstack([positions, ghosts]), np.concatenate([species, species[owners]]),
                            len(atoms), filters=True)
        rows.append(out.filters)
    return np.vstack(rows)


def main(potential, data):
    g = filter_vectors(potential, data)
    keep = g.std(0) > 0
    z = (g[:, keep] - g[:, keep].mean(0)) / g[:, keep].std(0)
    eigenvalues = np.linalg.eigvalsh(np.cov(z.T))[::-1]
    corr = np.corrcoef(z.T)
    np.fill_diagonal(corr, 0)
    print(f"{potential} on {data}: {len(g)} atoms, {g.shape[1]} filters ({int((~keep).sum())} constant)")
    print("eigenvalues of the filters' correlation matrix:", " ".join(f"{v:.3f}" for v in eigenvalues))
    print(f"participation ratio: {eigenvalues.sum() ** 2 / (eigenvalues ** 2).sum():.2f}")
    print("largest |correlation| of each filter with another:", " ".join(f"{v:.2f}" for v in np.abs(corr).max(0)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: filter_dimension.py POTENTIAL.snnp DATA.xyz")
    main(*sys.argv[1:])
