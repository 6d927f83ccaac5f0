/// The tensor-product three-body part of ``GradientWorker``'s backward sweep (one
/// atom at a time): the tangent Ġ3 = (∂G3/∂R)·δ and the f and g coefficient
/// gradients of Ψ = α·G3 + β·Ġ3, at O(A·C) per triplet.
///
/// With α and β spread symmetrically over (a, b) as in Evaluator+Tensor.swift,
/// Ψ = Σ_{j<k} Σ_abc [A_abc f_a f_b g_c + B_abc (f_a′ ṙ_j f_b g_c + f_a f_b′ ṙ_k g_c + f_a f_b g_c′ ċ)]
/// (f_a = f_a(r_ij), f_b = f_b(r_ik), ṙ and ċ the tangents of r and cos θ). Contracting
/// A and B with each neighbour's f first (P^A_bc(j) = Σ_a A_abc f_a(r_ij), P^B likewise,
/// Q^B_bc(j) = Σ_a B_abc f_a′(r_ij) ṙ_j) leaves sums over (b, c) per triplet.
final class TensorBackward {
  let basis: ThreeBodyBasis
  let na: Int
  let nc: Int
  let ac: Int
  private var rows = 0
  private var triplets = 0
  /// Neighbour slots (0..<nn) inside the three-body cutoff.
  private(set) var list: [Int] = []
  private var buffer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var tripletBuffer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var bankOfTriplet: [Int] = []
  // Per slot: f values and slopes (A), S and T (A·C), P^A, P^B, Q^B (A·C), seeds (A).
  private var fv: UnsafeMutablePointer<Double> { buffer }
  private var fd: UnsafeMutablePointer<Double> { buffer + rows * na }
  private var sT: UnsafeMutablePointer<Double> { buffer + 2 * rows * na }
  private var tT: UnsafeMutablePointer<Double> { sT + rows * ac }
  private var pa: UnsafeMutablePointer<Double> { tT + rows * ac }
  private var pb: UnsafeMutablePointer<Double> { pa + rows * ac }
  private var qb: UnsafeMutablePointer<Double> { pb + rows * ac }
  private var xv: UnsafeMutablePointer<Double> { qb + rows * ac }
  private var xd: UnsafeMutablePointer<Double> { xv + rows * na }
  // Per triplet: cos θ, ċ, then C values and C slopes of g.
  private var cosines: UnsafeMutablePointer<Double> { tripletBuffer }
  private var cDots: UnsafeMutablePointer<Double> { tripletBuffer + triplets }
  private var gv: UnsafeMutablePointer<Double> { tripletBuffer + 2 * triplets }
  private var gd: UnsafeMutablePointer<Double> { gv + triplets * nc }
  // A·A·C expansions of α and β, and C + C g seeds.
  private let expanded: UnsafeMutablePointer<Double>

  init(_ basis: ThreeBodyBasis) {
    self.basis = basis
    na = basis.radial
    nc = basis.angular
    ac = na * nc
    expanded = .allocate(capacity: 2 * na * ac + 2 * nc)
  }

  deinit {
    buffer.deallocate()
    tripletBuffer.deallocate()
    expanded.deallocate()
  }

  private func reserve(neighbors n: Int) {
    if n > rows {
      rows = max(n, 2 * rows)
      buffer.deallocate()
      buffer = .allocate(capacity: rows * (4 * na + 5 * ac))
    }
    let t = n * (n - 1) / 2
    if t > triplets {
      triplets = max(t, 2 * triplets)
      tripletBuffer.deallocate()
      tripletBuffer = .allocate(capacity: triplets * (2 + 2 * nc))
    }
  }

  /// Evaluates f and g for one atom's neighbours (recorded from `start`, `nn` of them)
  /// and adds Ġ3 to `v[0..<N3]`.
  func prepare(
    _ w: GradientWorker, start: Int, nn: Int, delta: [Double], rDot: [Double], tangent v: inout [Double]
  ) {
    let ev = w.evaluator
    let ne = ev.elementCount
    reserve(neighbors: max(nn, 2))
    list.removeAll(keepingCapacity: true)
    for q in 0..<nn {
      let r = w.nbGeometry[8 * (start + q) + 3]
      let t = ev.fTables[ev.fLookup[Int(w.nbSpecies[start + q])]]
      if r < t.cutoff {
        list.append(q)
        t.evaluate(r, values: fv + na * q, derivatives: fd + na * q)
        for x in 0..<ac {
          sT[ac * q + x] = 0
          tT[ac * q + x] = 0
        }
      }
    }
    guard list.count > 1 else { return }
    bankOfTriplet.removeAll(keepingCapacity: true)
    var t = 0
    for p in 0..<(list.count - 1) {
      let j = list[p]
      let gj = 8 * (start + j)
      let ej = SIMD3(w.nbGeometry[gj + 5], w.nbGeometry[gj + 6], w.nbGeometry[gj + 7])
      let invrj = w.nbGeometry[gj + 4]
      let dj = SIMD3(delta[3 * j], delta[3 * j + 1], delta[3 * j + 2])
      let cj = Int(w.nbSpecies[start + j])
      for q in (p + 1)..<list.count {
        let k = list[q]
        let gk = 8 * (start + k)
        let ek = SIMD3(w.nbGeometry[gk + 5], w.nbGeometry[gk + 6], w.nbGeometry[gk + 7])
        let invrk = w.nbGeometry[gk + 4]
        let dk = SIMD3(delta[3 * k], delta[3 * k + 1], delta[3 * k + 2])
        let cosine = (ej * ek).sum()
        let cDot = ((ek - cosine * ej) * dj).sum() * invrj + ((ej - cosine * ek) * dk).sum() * invrk
        let bank = ev.gLookup[cj * ne + Int(w.nbSpecies[start + k])]
        bankOfTriplet.append(bank)
        cosines[t] = cosine
        cDots[t] = cDot
        let g = gv + t * nc
        let gdt = gd + t * nc
        ev.gTables[bank].evaluate(cosine, values: g, derivatives: gdt)
        // S_bc(j) += f_b(k) g_c; T_bc(j) += f_b′(k) ṙ_k g_c + f_b(k) g_c′ ċ; and j ↔ k.
        let rj = rDot[j]
        let rk = rDot[k]
        for b in 0..<na {
          let fjb = fv[na * j + b]
          let fkb = fv[na * k + b]
          let djb = fd[na * j + b] * rj
          let dkb = fd[na * k + b] * rk
          let sj = sT + ac * j + b * nc
          let sk = sT + ac * k + b * nc
          let tj = tT + ac * j + b * nc
          let tk = tT + ac * k + b * nc
          for c in 0..<nc {
            sj[c] += fkb * g[c]
            sk[c] += fjb * g[c]
            tj[c] += dkb * g[c] + fkb * gdt[c] * cDot
            tk[c] += djb * g[c] + fjb * gdt[c] * cDot
          }
        }
        t += 1
      }
    }
    // Ġ_abc = ½ Σ_j [f_a′(r_ij) ṙ_j S_bc(j) + f_a(r_ij) T_bc(j)].
    var m = 0
    for a in 0..<na {
      for b in a..<na {
        for c in 0..<nc {
          var sum = 0.0
          for j in list {
            sum += fd[na * j + a] * rDot[j] * sT[ac * j + b * nc + c] + fv[na * j + a] * tT[ac * j + b * nc + c]
          }
          v[m] += 0.5 * sum
          m += 1
        }
      }
    }
  }

  /// Adds the f and g coefficient gradients of Ψ = α·G3 + β·Ġ3 for the atom of the last
  /// ``prepare`` call (α, β: `N3` values each).
  func accumulate(_ w: GradientWorker, start: Int, rDot: [Double], alpha: [Double], beta: [Double]) {
    guard list.count > 1 else { return }
    let ev = w.evaluator
    let aFull = expanded
    let bFull = expanded + na * ac
    let zv = bFull + na * ac
    let zd = zv + nc
    var m = 0
    for a in 0..<na {
      for b in a..<na {
        for c in 0..<nc {
          let s = a == b ? 1.0 : 0.5
          aFull[(a * na + b) * nc + c] = s * alpha[m]
          aFull[(b * na + a) * nc + c] = s * alpha[m]
          bFull[(a * na + b) * nc + c] = s * beta[m]
          bFull[(b * na + a) * nc + c] = s * beta[m]
          m += 1
        }
      }
    }
    for j in list {
      let pj = pa + ac * j
      let bj = pb + ac * j
      let qj = qb + ac * j
      for x in 0..<ac {
        pj[x] = 0
        bj[x] = 0
        qj[x] = 0
      }
      for a in 0..<na {
        let fa = fv[na * j + a]
        let da = fd[na * j + a] * rDot[j]
        let ar = aFull + a * ac
        let br = bFull + a * ac
        for x in 0..<ac {
          pj[x] += ar[x] * fa
          bj[x] += br[x] * fa
          qj[x] += br[x] * da
        }
      }
      for a in 0..<na {
        xv[na * j + a] = 0
        xd[na * j + a] = 0
      }
    }
    var t = 0
    for p in 0..<(list.count - 1) {
      let j = list[p]
      let rj = rDot[j]
      for q in (p + 1)..<list.count {
        let k = list[q]
        let rk = rDot[k]
        let cDot = cDots[t]
        let g = gv + t * nc
        let gdt = gd + t * nc
        for c in 0..<nc {
          zv[c] = 0
          zd[c] = 0
        }
        for b in 0..<na {
          let fkb = fv[na * k + b]
          let dkb = fd[na * k + b] * rk
          let paj = pa + ac * j + b * nc
          let pbj = pb + ac * j + b * nc
          let qbj = qb + ac * j + b * nc
          let pak = pa + ac * k + b * nc
          let pbk = pb + ac * k + b * nc
          let qbk = qb + ac * k + b * nc
          var xvk = 0.0
          var xdk = 0.0
          var xvj = 0.0
          var xdj = 0.0
          for c in 0..<nc {
            let hj = paj[c] + qbj[c]
            let hk = pak[c] + qbk[c]
            xvk += hj * g[c] + pbj[c] * gdt[c] * cDot
            xdk += pbj[c] * rk * g[c]
            xvj += hk * g[c] + pbk[c] * gdt[c] * cDot
            xdj += pbk[c] * rj * g[c]
            zv[c] += hj * fkb + pbj[c] * dkb
            zd[c] += pbj[c] * fkb * cDot
          }
          xv[na * k + b] += xvk
          xd[na * k + b] += xdk
          xv[na * j + b] += xvj
          xd[na * j + b] += xdj
        }
        let bank = bankOfTriplet[t]
        w.gGradient[bank].withUnsafeMutableBufferPointer {
          ev.gTables[bank].accumulateGradient(cosines[t], valueSeeds: zv, slopeSeeds: zd, into: $0.baseAddress!)
        }
        t += 1
      }
    }
    for q in list {
      let r = w.nbGeometry[8 * (start + q) + 3]
      let bank = ev.fLookup[Int(w.nbSpecies[start + q])]
      w.fGradient[bank].withUnsafeMutableBufferPointer {
        ev.fTables[bank].accumulateGradient(r, valueSeeds: xv + na * q, slopeSeeds: xd + na * q, into: $0.baseAddress!)
      }
    }
  }
}
