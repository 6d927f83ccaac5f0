"""snnp.elastic: the stress-strain fit behind examples/properties/dft-reference.json and
examples/properties/elastic_same_frames.py."""

from snnp.elastic import EV_PER_A3_TO_GPA, elastic_fit, small_strain


def test_elastic_fit_recovers_synthetic_constants():
    """snnp.elastic.elastic_fit (the fit behind the DFT reference and
    elastic_same_frames.py) recovers C11, C12, C44 and sigma0 from stresses made with
    them, sigma = sigma0 + C eps, on the data's kind of strained cells (uniaxial and
    shear modes of +-2 %), and ignores a 4 % frame whose stress is wrong."""
    tol = 1e-9
    c11, c12, c44, s0 = 157.0, 57.0, 99.0, -0.14  # GPa
    a = 2 * 5.469
    ground = {"n": 64, "cell": [[a, 0, 0], [0, a, 0], [0, 0, a]], "config_type": "Elastic",
              "stress": [s0 / EV_PER_A3_TO_GPA if r == c else 0.0 for r in range(3) for c in range(3)]}
    frames = [ground]
    for i, j in ((0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)):
        for e in (-0.02, 0.02, 0.04):
            eps = [[0.0] * 3 for _ in range(3)]
            eps[i][j] = eps[j][i] = e  # tensor component, as small_strain reads the data's cells
            cell = [[a * ((1 if r == c else 0) + eps[r][c]) for c in range(3)] for r in range(3)]
            tr = sum(eps[k][k] for k in range(3))
            sig = [[(s0 + (c11 - c12) * eps[r][r] + c12 * tr) if r == c else 2 * c44 * eps[r][c]
                    for c in range(3)] for r in range(3)]
            stress = [sig[r][c] / EV_PER_A3_TO_GPA for r in range(3) for c in range(3)]
            if e > 0.03:
                stress = [x + 1.0 for x in stress]  # beyond 2 %: must not enter the fit
            frames.append({"n": 64, "cell": cell, "config_type": "Elastic", "stress": stress})
    f11, f12, f44, f0, _, _, used = elastic_fit(frames, ground)
    worst = max(abs(f11 - c11) / c11, abs(f12 - c12) / c12, abs(f44 - c44) / c44, abs(f0 - s0) / abs(s0))
    assert used == 13, f"{used} frames used, expected 13 (the 4 % frames must be left out)"
    assert worst < tol, (f"C11 {f11:.6f} C12 {f12:.6f} C44 {f44:.6f} sigma0 {f0:.6f} GPa "
                         f"(made with {c11} {c12} {c44} {s0}), largest relative error {worst:.1e}")


def test_small_strain_of_a_uniaxial_stretch():
    eps = small_strain([[2, 0, 0], [0, 2, 0], [0, 0, 2]], [[2.02, 0, 0], [0, 2, 0], [0, 0, 2]])
    assert abs(eps[0][0] - 0.01) < 1e-15 and all(abs(eps[i][j]) < 1e-15 for i in range(3) for j in range(3)
                                                  if (i, j) != (0, 0))
