import SNNPCore

/// The four-body moment part of ``GradientWorker``'s backward sweep (one atom at a time):
/// the tangent Ġ4 = (∂G4/∂R)·δ and the h coefficient gradients of Ψ = α·G4 + β·Ġ4.
///
/// With m_a = Σ_j h_j û_j and M_a = Σ_j h_j P_j (P = ûûᵀ − I/3, h_j = h_a(r_ij)), their
/// tangents are ṁ = Σ_j (h_j′ ṙ_j û_j + h_j u̇_j) and Ṁ = Σ_j (h_j′ ṙ_j P_j + h_j Ṗ_j),
/// Ṗ = u̇ûᵀ + ûu̇ᵀ, u̇ = (δ − ṙ û)/r. The filters and their tangents are
///
///     I1 = m·M·m,   İ1 = 2 ṁ·M·m + m·Ṁ·m,   I2 = tr M³,   İ2 = 3 tr(M² Ṁ),
///
/// so Ψ = Σ_a α1 I1 + α2 I2 + β1 İ1 + β2 İ2 has the partial derivatives
///
///     X = ∂Ψ/∂m = 2α1 Mm + 2β1 (Mṁ + Ṁm),     Ẋ = ∂Ψ/∂ṁ = 2β1 Mm,
///     Y = ∂Ψ/∂M = α1 mmᵀ + 3α2 M² + β1 (ṁmᵀ + mṁᵀ) + 3β2 (MṀ + ṀM),
///     Ẏ = ∂Ψ/∂Ṁ = β1 mmᵀ + 3β2 M²,
///
/// and each neighbour's h_a(r_ij) gets the value seed X·û + Y:P + Ẋ·u̇ + Ẏ:Ṗ and its
/// h_a′(r_ij) the slope seed ṙ (Ẋ·û + Ẏ:P).
final class MomentBackward {
  let radial: Int
  /// Neighbour slots (0..<nn) inside the h cutoff, with their bank.
  private(set) var list: [Int] = []
  private var bankOf: [Int] = []
  private var hv: [Double] = []
  private var hd: [Double] = []
  /// Per spline: m, ṁ, M, Ṁ of the last ``prepare``.
  private var m: [SIMD3<Double>]
  private var mDot: [SIMD3<Double>]
  private var big: [Matrix3]
  private var bigDot: [Matrix3]
  private var seedsV: [Double]
  private var seedsD: [Double]

  init(radial: Int) {
    self.radial = radial
    m = [SIMD3<Double>](repeating: .zero, count: radial)
    mDot = m
    big = [Matrix3](repeating: .zero, count: radial)
    bigDot = big
    seedsV = [Double](repeating: 0, count: radial)
    seedsD = seedsV
  }

  /// Evaluates h for one atom's neighbours (recorded from `start`, `nn` of them), builds
  /// the moments and their tangents, and adds Ġ4 to `v[offset..<offset + 2A]`.
  func prepare(
    _ w: GradientWorker, start: Int, nn: Int, delta: [Double], rDot: [Double], offset: Int,
    tangent v: inout [Double]
  ) {
    let ev = w.evaluator
    let na = radial
    if hv.count < na * nn {
      hv = [Double](repeating: 0, count: na * nn)
      hd = hv
    }
    list.removeAll(keepingCapacity: true)
    bankOf.removeAll(keepingCapacity: true)
    // Locals, not the stored arrays: the loop below would pay a dynamic exclusivity
    // check on every access to a class's stored property.
    var m = [SIMD3<Double>](repeating: .zero, count: na)
    var mDot = m
    var big = [Matrix3](repeating: .zero, count: na)
    var bigDot = big
    let geometry = w.nbGeometry
    let species = w.nbSpecies
    var values = hv
    var slopes = hd
    let third = Matrix3(r0: SIMD3(1.0 / 3, 0, 0), r1: SIMD3(0, 1.0 / 3, 0), r2: SIMD3(0, 0, 1.0 / 3))
    for q in 0..<nn {
      let g = 8 * (start + q)
      let r = geometry[g + 3]
      let bank = ev.hLookup[Int(species[start + q])]
      let t = ev.hTables[bank]
      guard r < t.cutoff else { continue }
      list.append(q)
      bankOf.append(bank)
      values.withUnsafeMutableBufferPointer { vp in
        slopes.withUnsafeMutableBufferPointer { dp in
          t.evaluate(r, values: vp.baseAddress! + na * q, derivatives: dp.baseAddress! + na * q)
        }
      }
      let u = SIMD3(geometry[g + 5], geometry[g + 6], geometry[g + 7])
      let d = SIMD3(delta[3 * q], delta[3 * q + 1], delta[3 * q + 2])
      let rd = rDot[q]
      let uDot = (d - rd * u) * geometry[g + 4]
      let p = Matrix3.outer(u, u).plus(third.scaled(-1))
      let pDot = Matrix3.outer(uDot, u).plus(Matrix3.outer(u, uDot))
      for a in 0..<na {
        let h = values[na * q + a]
        let hDot = slopes[na * q + a] * rd
        m[a] += h * u
        mDot[a] += hDot * u + h * uDot
        big[a] = big[a].plus(p.scaled(h))
        bigDot[a] = bigDot[a].plus(p.scaled(hDot)).plus(pDot.scaled(h))
      }
    }
    for a in 0..<na {
      let bmm = big[a].times(m[a])
      v[offset + 2 * a] += 2 * (mDot[a] * bmm).sum() + (m[a] * bigDot[a].times(m[a])).sum()
      v[offset + 2 * a + 1] += 3 * big[a].product(big[a]).product(bigDot[a]).trace
    }
    (self.m, self.mDot, self.big, self.bigDot, hv, hd) = (m, mDot, big, bigDot, values, slopes)
  }

  /// Adds the h coefficient gradients of Ψ = α·G4 + β·Ġ4 for the atom of the last
  /// ``prepare`` call (`alpha`, `beta` indexed like G, four-body filters from `offset`).
  func accumulate(
    _ w: GradientWorker, start: Int, delta: [Double], rDot: [Double], offset: Int,
    alpha: [Double], beta: [Double]
  ) {
    let ev = w.evaluator
    let na = radial
    var xs: [SIMD3<Double>] = []
    var xDots: [SIMD3<Double>] = []
    var ys: [Matrix3] = []
    var yDots: [Matrix3] = []
    for a in 0..<na {
      let (mm, md, bm, bd) = (m[a], mDot[a], big[a], bigDot[a])
      let a1 = alpha[offset + 2 * a]
      let a2 = alpha[offset + 2 * a + 1]
      let b1 = beta[offset + 2 * a]
      let b2 = beta[offset + 2 * a + 1]
      let bmm = bm.times(mm)
      let b2m = bm.product(bm)
      xs.append(2 * a1 * bmm + 2 * b1 * (bm.times(md) + bd.times(mm)))
      xDots.append(2 * b1 * bmm)
      let mmT = Matrix3.outer(mm, mm)
      let cross = Matrix3.outer(md, mm).plus(Matrix3.outer(mm, md))
      let mix = bm.product(bd).plus(bd.product(bm))
      ys.append(
        mmT.scaled(a1).plus(b2m.scaled(3 * a2)).plus(cross.scaled(b1)).plus(mix.scaled(3 * b2)))
      yDots.append(mmT.scaled(b1).plus(b2m.scaled(3 * b2)))
    }
    let geometry = w.nbGeometry
    var seedsV = self.seedsV
    var seedsD = self.seedsD
    for (s, q) in list.enumerated() {
      let g = 8 * (start + q)
      let r = geometry[g + 3]
      let u = SIMD3(geometry[g + 5], geometry[g + 6], geometry[g + 7])
      let d = SIMD3(delta[3 * q], delta[3 * q + 1], delta[3 * q + 2])
      let rd = rDot[q]
      let uDot = (d - rd * u) * geometry[g + 4]
      for a in 0..<na {
        let y = ys[a]
        let yd = yDots[a]
        let ydu = yd.times(u)
        let yP = (u * y.times(u)).sum() - y.trace / 3
        let ydP = (u * ydu).sum() - yd.trace / 3
        seedsV[a] = (xs[a] * u).sum() + yP + (xDots[a] * uDot).sum() + 2 * (uDot * ydu).sum()
        seedsD[a] = rd * ((xDots[a] * u).sum() + ydP)
      }
      let bank = bankOf[s]
      seedsV.withUnsafeBufferPointer { vp in
        seedsD.withUnsafeBufferPointer { dp in
          ev.hTables[bank].accumulateGradient(
            r, valueSeeds: vp.baseAddress!, slopeSeeds: dp.baseAddress!,
            into: w.hGradient[bank].pointer)
        }
      }
    }
    (self.seedsV, self.seedsD) = (seedsV, seedsD)
  }
}

/// A 3×3 matrix as three rows (the moment algebra of ``MomentBackward``; a value type
/// without heap storage, as the backward sweep builds several per atom and spline).
struct Matrix3 {
  static let zero = Matrix3(r0: .zero, r1: .zero, r2: .zero)
  var r0: SIMD3<Double>
  var r1: SIMD3<Double>
  var r2: SIMD3<Double>

  static func outer(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Matrix3 {
    Matrix3(r0: a.x * b, r1: a.y * b, r2: a.z * b)
  }

  var trace: Double { r0.x + r1.y + r2.z }

  func times(_ v: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3((r0 * v).sum(), (r1 * v).sum(), (r2 * v).sum())
  }

  func product(_ o: Matrix3) -> Matrix3 {
    func row(_ r: SIMD3<Double>) -> SIMD3<Double> { r.x * o.r0 + r.y * o.r1 + r.z * o.r2 }
    return Matrix3(r0: row(r0), r1: row(r1), r2: row(r2))
  }

  func plus(_ o: Matrix3) -> Matrix3 { Matrix3(r0: r0 + o.r0, r1: r1 + o.r1, r2: r2 + o.r2) }

  func scaled(_ s: Double) -> Matrix3 { Matrix3(r0: s * r0, r1: s * r1, r2: s * r2) }
}
