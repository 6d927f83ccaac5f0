import SNNPCore

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
  /// C rounded up to a multiple of 4: the per-c stride (SIMD4 loops, zero padding).
  let cp: Int
  /// A · cp: one slot's row of (b, c) values.
  let row: Int
  private var rows = 0
  private var triplets = 0
  /// Neighbour slots (0..<nn) inside the three-body cutoff.
  private(set) var list: [Int] = []
  private var buffer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var tripletBuffer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
  private var bankOfTriplet: [Int] = []
  // Per slot: f values and slopes (A), S and T, P^A, P^B, Q^B (A·cp each), seeds (A).
  private var fv: UnsafeMutablePointer<Double> { buffer }
  private var fd: UnsafeMutablePointer<Double> { buffer + rows * na }
  private var sT: UnsafeMutablePointer<Double> { buffer + 2 * rows * na }
  private var tT: UnsafeMutablePointer<Double> { sT + rows * row }
  private var pa: UnsafeMutablePointer<Double> { tT + rows * row }
  private var pb: UnsafeMutablePointer<Double> { pa + rows * row }
  private var qb: UnsafeMutablePointer<Double> { pb + rows * row }
  private var xv: UnsafeMutablePointer<Double> { qb + rows * row }
  private var xd: UnsafeMutablePointer<Double> { xv + rows * na }
  // Per triplet: cos θ, ċ, then cp values and cp slopes of g.
  private var cosines: UnsafeMutablePointer<Double> { tripletBuffer }
  private var cDots: UnsafeMutablePointer<Double> { tripletBuffer + triplets }
  private var gv: UnsafeMutablePointer<Double> { tripletBuffer + 2 * triplets }
  private var gd: UnsafeMutablePointer<Double> { gv + triplets * cp }
  // A·A·cp expansions of α and β, and cp + cp g seeds.
  private let expanded: UnsafeMutablePointer<Double>

  init(_ basis: ThreeBodyBasis) {
    self.basis = basis
    na = basis.radial
    nc = basis.angular
    cp = (nc + 3) & ~3
    row = na * cp
    let size = 2 * na * row + 2 * cp
    expanded = zeroedDoubles(size)
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
      let size = rows * (4 * na + 5 * row)
      buffer = zeroedDoubles(size)
    }
    let t = n * (n - 1) / 2
    if t > triplets {
      triplets = max(t, 2 * triplets)
      tripletBuffer.deallocate()
      // g's padding lanes are never written, so they must start (and stay) at zero.
      let size = triplets * (2 + 2 * cp)
      tripletBuffer = zeroedDoubles(size)
    }
  }

  /// Evaluates f and g for one atom's neighbours (recorded from `start`, `nn` of them)
  /// and adds Ġ3 to `v[0..<N3]`.
  func prepare(
    _ w: GradientWorker, start: Int, nn: Int, delta: [Double], rDot: [Double],
    tangent v: inout [Double]
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
        for x in 0..<row {
          sT[row * q + x] = 0
          tT[row * q + x] = 0
        }
      }
    }
    guard list.count > 1 else { return }
    bankOfTriplet.removeAll(keepingCapacity: true)
    let chunks = cp / 4
    var t = 0
    for p in 0..<(list.count - 1) {
      let j = list[p]
      let gj = 8 * (start + j)
      let ej = SIMD3(w.nbGeometry[gj + 5], w.nbGeometry[gj + 6], w.nbGeometry[gj + 7])
      let invrj = w.nbGeometry[gj + 4]
      let dj = SIMD3(delta[3 * j], delta[3 * j + 1], delta[3 * j + 2])
      let cj = Int(w.nbSpecies[start + j])
      let rj = rDot[j]
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
        let g = gv + t * cp
        let gdt = gd + t * cp
        ev.gTables[bank].evaluate(cosine, values: g, derivatives: gdt)
        // S_bc(j) += f_b(k) g_c; T_bc(j) += f_b′(k) ṙ_k g_c + f_b(k) g_c′ ċ; and j ↔ k.
        let rk = rDot[k]
        for ch in 0..<chunks {
          let o = 4 * ch
          let gval = load4(g + o)
          let gder = load4(gdt + o) * cDot
          for b in 0..<na {
            let fjb = fv[na * j + b]
            let fkb = fv[na * k + b]
            let djb = fd[na * j + b] * rj
            let dkb = fd[na * k + b] * rk
            let off = b * cp + o
            let sj = sT + row * j + off
            let sk = sT + row * k + off
            let tj = tT + row * j + off
            let tk = tT + row * k + off
            store4(sj, load4(sj) + fkb * gval)
            store4(sk, load4(sk) + fjb * gval)
            store4(tj, load4(tj) + dkb * gval + fkb * gder)
            store4(tk, load4(tk) + djb * gval + fjb * gder)
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
            sum +=
              fd[na * j + a] * rDot[j] * sT[row * j + b * cp + c] + fv[na * j + a]
              * tT[row * j + b * cp + c]
          }
          v[m] += 0.5 * sum
          m += 1
        }
      }
    }
  }

  /// Adds the f and g coefficient gradients of Ψ = α·G3 + β·Ġ3 for the atom of the last
  /// ``prepare`` call (α, β: `N3` values each).
  func accumulate(_ w: GradientWorker, start: Int, rDot: [Double], alpha: [Double], beta: [Double])
  {
    guard list.count > 1 else { return }
    let ev = w.evaluator
    let (fBuffers, gBuffers) = (w.fGradient, w.gGradient)
    let aFull = expanded
    let bFull = expanded + na * row
    let zv = bFull + na * row
    let zd = zv + cp
    let chunks = cp / 4
    alpha.withUnsafeBufferPointer { basis.spread($0.baseAddress!, into: aFull, stride: cp) }
    beta.withUnsafeBufferPointer { basis.spread($0.baseAddress!, into: bFull, stride: cp) }
    for j in list {
      let pj = pa + row * j
      let bj = pb + row * j
      let qj = qb + row * j
      for x in Swift.stride(from: 0, to: row, by: 4) {
        var sa = SIMD4<Double>.zero
        var sb = SIMD4<Double>.zero
        var sq = SIMD4<Double>.zero
        for a in 0..<na {
          let fa = fv[na * j + a]
          let da = fd[na * j + a] * rDot[j]
          let ar = load4(aFull + a * row + x)
          let br = load4(bFull + a * row + x)
          sa += ar * fa
          sb += br * fa
          sq += br * da
        }
        store4(pj + x, sa)
        store4(bj + x, sb)
        store4(qj + x, sq)
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
        let g = gv + t * cp
        let gdt = gd + t * cp
        for c in 0..<cp {
          zv[c] = 0
          zd[c] = 0
        }
        for b in 0..<na {
          let fkb = fv[na * k + b]
          let dkb = fd[na * k + b] * rk
          let fkc = fkb * cDot
          var xvk = SIMD4<Double>.zero
          var xdk = SIMD4<Double>.zero
          var xvj = SIMD4<Double>.zero
          var xdj = SIMD4<Double>.zero
          for ch in 0..<chunks {
            let off = b * cp + 4 * ch
            let gval = load4(g + 4 * ch)
            let gder = load4(gdt + 4 * ch) * cDot
            let pbj = load4(pb + row * j + off)
            let pbk = load4(pb + row * k + off)
            let hj = load4(pa + row * j + off) + load4(qb + row * j + off)
            let hk = load4(pa + row * k + off) + load4(qb + row * k + off)
            xvk += hj * gval + pbj * gder
            xdk += pbj * gval
            xvj += hk * gval + pbk * gder
            xdj += pbk * gval
            store4(zv + 4 * ch, load4(zv + 4 * ch) + hj * fkb + pbj * dkb)
            store4(zd + 4 * ch, load4(zd + 4 * ch) + pbj * fkc)
          }
          xv[na * k + b] += xvk.sum()
          xd[na * k + b] += xdk.sum() * rk
          xv[na * j + b] += xvj.sum()
          xd[na * j + b] += xdj.sum() * rj
        }
        let bank = bankOfTriplet[t]
        ev.gTables[bank].accumulateGradient(
          cosines[t], valueSeeds: zv, slopeSeeds: zd, into: gBuffers[bank].pointer)
        t += 1
      }
    }
    for q in list {
      let r = w.nbGeometry[8 * (start + q) + 3]
      let bank = ev.fLookup[Int(w.nbSpecies[start + q])]
      ev.fTables[bank].accumulateGradient(
        r, valueSeeds: xv + na * q, slopeSeeds: xd + na * q, into: fBuffers[bank].pointer)
    }
  }
}
