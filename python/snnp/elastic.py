"""Clamped-ion elastic constants from the stresses of strained frames (cubic symmetry),
and the small 3x3 linear algebra they need. Standard library only; frames are the dicts
of snnp.extxyz.frames."""

import math

EV_PER_A3_TO_GPA = 160.21766208


def det3(m):
    """Determinant of a 3x3 matrix (rows): a cell's signed volume."""
    a, b, c = m
    return (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
            + a[2] * (b[0] * c[1] - b[1] * c[0]))


def inverse3(m):
    a, b, c = m
    det = det3(m)
    cof = [[b[1] * c[2] - b[2] * c[1], a[2] * c[1] - a[1] * c[2], a[1] * b[2] - a[2] * b[1]],
           [b[2] * c[0] - b[0] * c[2], a[0] * c[2] - a[2] * c[0], a[2] * b[0] - a[0] * b[2]],
           [b[0] * c[1] - b[1] * c[0], a[1] * c[0] - a[0] * c[1], a[0] * b[1] - a[1] * b[0]]]
    return [[cof[i][j] / det for j in range(3)] for i in range(3)]


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)] for i in range(3)]


def small_strain(cell0, cell):
    """eps = sym(F) - I with cell rows a_i' = a_i F^T, i.e. F^T = cell0^-1 cell."""
    ft = matmul(inverse3(cell0), cell)
    return [[0.5 * (ft[i][j] + ft[j][i]) - (1.0 if i == j else 0.0) for j in range(3)] for i in range(3)]


def lstsq(rows, rhs):
    """Normal-equation least squares for a few unknowns; returns (x, rms residual)."""
    k = len(rows[0])
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    atb = [sum(r[i] * y for r, y in zip(rows, rhs)) for i in range(k)]
    # Gauss-Jordan
    m = [ata[i] + [atb[i]] for i in range(k)]
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(k):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    x = [m[i][k] / m[i][i] for i in range(k)]
    res = [sum(a * b for a, b in zip(r, x)) - y for r, y in zip(rows, rhs)]
    return x, math.sqrt(sum(e * e for e in res) / len(res))


def elastic_fit(data, g):
    """Clamped-ion C11, C12, C44 (GPa), residual stress sigma0 (GPa), the fit's rms
    (normal, shear; GPa) and the number of frames used: least squares of the stress of
    the "Elastic" frames of g's size with |strain| <= 2 % against their strain relative
    to the ground-state frame g (sigma = sigma0 + C eps, cubic symmetry)."""
    normal_rows, normal_rhs, shear_rows, shear_rhs = [], [], [], []
    used = 0
    for f in data:
        if f["config_type"] != "Elastic" or f["n"] != g["n"] or f["stress"] is None:
            continue
        eps = small_strain(g["cell"], f["cell"])
        if max(abs(e) for row in eps for e in row) > 0.0201:
            continue
        s = [[f["stress"][3 * i + j] * EV_PER_A3_TO_GPA for j in range(3)] for i in range(3)]
        for i in range(3):
            others = sum(eps[j][j] for j in range(3) if j != i)
            normal_rows.append([eps[i][i], others, 1.0])
            normal_rhs.append(s[i][i])
        for i, j in ((1, 2), (0, 2), (0, 1)):
            shear_rows.append([2 * eps[i][j], 1.0])
            shear_rhs.append(s[i][j])
        used += 1
    (c11, c12, s0), rms_n = lstsq(normal_rows, normal_rhs)
    (c44, _), rms_s = lstsq(shear_rows, shear_rhs)
    return c11, c12, c44, s0, rms_n, rms_s, used


def ground_state(path, data):
    """The single "Ground state crystal" frame of the data (ValueError naming the file otherwise)."""
    ground = [f for f in data if f["config_type"] == "Elastic" and f["description"] == "Ground state crystal"]
    if len(ground) != 1:
        raise ValueError(f"{path}: expected one 'Ground state crystal' frame, found {len(ground)}")
    return ground[0]
