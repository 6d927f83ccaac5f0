/// The four-body moment filters (``Potential/fourBodySplines``) inside the one kernel.
///
/// Per atom and radial spline h_a, one pass over the neighbours builds the moments
///
///     m_a = Σ_j h_a(r_ij) û_ij               (a vector)
///     M_a = Σ_j h_a(r_ij) (û_ij û_ijᵀ − I/3)  (a traceless symmetric matrix)
///
/// and the filters G4[2a] = m_a·M_a·m_a and G4[2a+1] = tr(M_a³). Both are products of three
/// pair sums, so they couple three neighbours of the atom at once (four bodies with the
/// centre) at the cost of a pair loop: the lowest-order invariants of this kind, and zero in
/// a perfect cubic crystal, where m and M vanish by symmetry.
///
/// Force pass: with w = ∂E/∂G4, the energy seen by the forces is linear in m_a and M_a
/// through V_a = ∂E/∂m_a = 2 w_2a M_a m_a and T_a = ∂E/∂M_a = w_2a m_a m_aᵀ + 3 w_2a+1 M_a²,
/// so that ∂E/∂d_ij = Σ_a h_a′ (V_a·û + ûᵀT_aû − tr T_a/3) û + h_a/r [V_a − (V_a·û) û
/// + 2 (T_a û − (ûᵀT_aû) û)].
final class MomentScratch {
  private(set) var capacity = 0
  /// A: radial splines per bank.
  let radial: Int
  /// Per neighbour A: h values and slopes (valid for the slots in `list`).
  private(set) var hv = zeroedDoubles(1)
  private(set) var hd = zeroedDoubles(1)
  /// Neighbour slots inside the h cutoff.
  private(set) var list = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private(set) var count = 0
  /// Per spline: m_a (3), M_a (9, full), then V_a (3) and T_a (9) of the force pass.
  let m: UnsafeMutablePointer<Double>
  let mm: UnsafeMutablePointer<Double>
  let v: UnsafeMutablePointer<Double>
  let t: UnsafeMutablePointer<Double>
  /// Per neighbour 3: ∂E/∂d_ij of the four-body filters.
  private(set) var grad = zeroedDoubles(3)

  init(radial: Int) {
    self.radial = radial
    m = zeroedDoubles(3 * radial)
    mm = zeroedDoubles(9 * radial)
    v = zeroedDoubles(3 * radial)
    t = zeroedDoubles(9 * radial)
  }

  deinit {
    for p in [hv, hd, m, mm, v, t, grad] { p.deallocate() }
    list.deallocate()
  }

  func reserve(neighbors n: Int) {
    guard n > capacity else { return }
    capacity = max(n, 2 * capacity)
    for p in [hv, hd, grad] { p.deallocate() }
    list.deallocate()
    hv = zeroedDoubles(radial * capacity)
    hd = zeroedDoubles(radial * capacity)
    grad = zeroedDoubles(3 * capacity)
    list = .allocate(capacity: capacity)
  }

  /// Records the slots inside the h cutoff (reset by `begin`).
  fileprivate func begin() { count = 0 }
  fileprivate func append(_ slot: Int) {
    list[count] = Int32(slot)
    count += 1
  }
}

/// The two invariants of one moment pair: m·M·m and tr(M³) (M full 3×3, symmetric).
@inline(__always)
package func momentInvariants(_ m: UnsafePointer<Double>, _ M: UnsafePointer<Double>) -> (
  Double, Double
) {
  var mMm = 0.0
  var trace3 = 0.0
  for k in 0..<3 {
    var row = 0.0
    for l in 0..<3 {
      row += M[3 * k + l] * m[l]
      trace3 += squareEntry(M, k, l) * M[3 * l + k]
    }
    mMm += m[k] * row
  }
  return (mMm, trace3)
}

/// Entry (k, l) of M² for a full 3×3 matrix M stored row after row.
@inline(__always)
func squareEntry(_ M: UnsafePointer<Double>, _ k: Int, _ l: Int) -> Double {
  M[3 * k] * M[l] + M[3 * k + 1] * M[3 + l] + M[3 * k + 2] * M[6 + l]
}

extension Evaluator {
  /// Forward pass: h values of the neighbours, the moments, and G4 into `G4[0..<2A]`.
  @inline(__always)
  func momentFilters(_ ms: MomentScratch, _ nn: Int, _ G4: UnsafeMutablePointer<Double>) {
    let na = ms.radial
    let sp = scratch.species
    let geo = scratch.geometry
    ms.begin()
    for x in 0..<(3 * na) { ms.m[x] = 0 }
    for x in 0..<(9 * na) { ms.mm[x] = 0 }
    for n in 0..<nn {
      let g = geo + 8 * n
      let table = hTables[hLookup[Int(sp[n])]]
      guard g[3] < table.cutoff else { continue }
      ms.append(n)
      let hv = ms.hv + na * n
      table.evaluate(g[3], values: hv, derivatives: ms.hd + na * n)
      let u = SIMD3(g[5], g[6], g[7])
      for a in 0..<na {
        let h = hv[a]
        let ma = ms.m + 3 * a
        let Ma = ms.mm + 9 * a
        for k in 0..<3 {
          ma[k] += h * u[k]
          let hu = h * u[k]
          for l in 0..<3 { Ma[3 * k + l] += hu * u[l] }
          Ma[4 * k] -= h / 3
        }
      }
    }
    for a in 0..<na {
      let (i1, i2) = momentInvariants(ms.m + 3 * a, ms.mm + 9 * a)
      G4[2 * a] += i1
      G4[2 * a + 1] += i2
    }
  }

  /// Force pass: writes ∂E/∂d_ij of the four-body filters into `ms.grad` (3 per slot, all
  /// `nn` slots) given w4 = ∂E/∂G4 and the moments of ``momentFilters``.
  @inline(__always)
  func momentGradient(_ ms: MomentScratch, _ nn: Int, _ w4: UnsafePointer<Double>) {
    let na = ms.radial
    let geo = scratch.geometry
    for x in 0..<(3 * nn) { ms.grad[x] = 0 }
    for a in 0..<na {
      let m = ms.m + 3 * a
      let M = ms.mm + 9 * a
      let v = ms.v + 3 * a
      let t = ms.t + 9 * a
      let w1 = w4[2 * a]
      let w2 = w4[2 * a + 1]
      for k in 0..<3 {
        var row = 0.0
        for l in 0..<3 {
          row += M[3 * k + l] * m[l]
          t[3 * k + l] = w1 * m[k] * m[l] + 3 * w2 * squareEntry(M, k, l)
        }
        v[k] = 2 * w1 * row
      }
    }
    for s in 0..<ms.count {
      let n = Int(ms.list[s])
      let g = geo + 8 * n
      let u = SIMD3(g[5], g[6], g[7])
      let inv = g[4]
      var out = SIMD3<Double>.zero
      for a in 0..<na {
        let v = SIMD3(ms.v[3 * a], ms.v[3 * a + 1], ms.v[3 * a + 2])
        let t = ms.t + 9 * a
        let tu = SIMD3(
          t[0] * u.x + t[1] * u.y + t[2] * u.z, t[3] * u.x + t[4] * u.y + t[5] * u.z,
          t[6] * u.x + t[7] * u.y + t[8] * u.z)
        let utu = (u * tu).sum()
        let vu = (v * u).sum()
        let trace = t[0] + t[4] + t[8]
        let h = ms.hv[na * n + a]
        let hd = ms.hd[na * n + a]
        let radialPart: Double = hd * (vu + utu - trace / 3)
        let tangential: SIMD3<Double> = v - vu * u + 2 * (tu - utu * u)
        out += radialPart * u + (h * inv) * tangential
      }
      ms.grad[3 * n] = out.x
      ms.grad[3 * n + 1] = out.y
      ms.grad[3 * n + 2] = out.z
    }
  }
}
