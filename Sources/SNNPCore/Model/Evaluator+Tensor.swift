/// The tensor-product three-body filters (``ThreeBodyBasis``) inside the one kernel.
///
/// With W_abc = ∂E/∂G_(a,b,c) spread symmetrically over (a, b) (w on the diagonal,
/// w/2 on each of (a, b) and (b, a)), the three-body energy seen by the forces is
///
///     Φ = Σ_{j<k} Σ_abc W_abc f_a(r_ij) f_b(r_ik) g_c(cos θ_jik),
///
/// so both passes cost O(A·C) per triplet instead of O(N3) = O(A²·C): the forward
/// pass sums S_bc(j) = Σ_{k≠j} f_b(r_ik) g_c(cos θ_jik) and G = ½ Σ_j f_a(r_ij) S_bc(j);
/// the force pass, once w is known, contracts W with f at each neighbour first
/// (U_bc(j) = Σ_a W_abc f_a(r_ij), and U′ with f′) and then visits each triplet once.
/// The angular values of each triplet are cached between the two passes.
final class TensorScratch {
  private(set) var neighborCapacity = 0
  private(set) var tripletCapacity = 0
  let radial: Int
  /// C rounded up to a multiple of 4: the stride of every per-c array, so the
  /// loops over c run on SIMD4 vectors (padding lanes stay zero).
  let cStride: Int
  /// Per neighbour A·cStride: S_bc(j) in the forward pass, U_bc(j) in the force pass.
  var s: UnsafeMutablePointer<Double>
  /// Per neighbour A·cStride: U′_bc(j).
  var sd: UnsafeMutablePointer<Double>
  /// Per triplet cStride: g_c and g′_c at its cosine.
  var gv: UnsafeMutablePointer<Double>
  var gd: UnsafeMutablePointer<Double>
  /// Per neighbour 3: ∂Φ/∂d_ij.
  var grad: UnsafeMutablePointer<Double>
  /// A·A·cStride: W_abc (zero padding).
  let w: UnsafeMutablePointer<Double>
  /// 2·cStride: g values and slopes outside the knot range (zero padding).
  let outside: UnsafeMutablePointer<Double>

  init(_ basis: ThreeBodyBasis) {
    radial = basis.radial
    cStride = (basis.angular + 3) & ~3
    s = .allocate(capacity: 1)
    sd = .allocate(capacity: 1)
    gv = .allocate(capacity: 1)
    gd = .allocate(capacity: 1)
    grad = .allocate(capacity: 1)
    w = zeroedDoubles(radial * radial * cStride)
    outside = zeroedDoubles(2 * cStride)
  }

  deinit {
    for p in [s, sd, gv, gd, grad, w, outside] { p.deallocate() }
  }

  func reserve(neighbors: Int) {
    if neighbors > neighborCapacity {
      neighborCapacity = max(neighbors, 2 * neighborCapacity)
      for p in [s, sd, grad] { p.deallocate() }
      let n = neighborCapacity * radial * cStride
      // Padding lanes are never written, so they must start at zero.
      s = zeroedDoubles(n)
      sd = zeroedDoubles(n)
      grad = .allocate(capacity: 3 * neighborCapacity)
    }
    let triplets = neighbors * (neighbors - 1) / 2
    if triplets > tripletCapacity {
      tripletCapacity = max(triplets, 2 * tripletCapacity)
      gv.deallocate()
      gd.deallocate()
      gv = .allocate(capacity: tripletCapacity * cStride)
      gd = .allocate(capacity: tripletCapacity * cStride)
    }
  }
}

extension Evaluator {
  /// Forward pass: adds G3 of the tensor form to `G` and caches g, g′ per triplet.
  /// `tb[0..<n3b]` are the neighbour slots inside the three-body cutoff; f values of
  /// slot n start at `fv + n * fs`.
  @inline(__always)
  func tensorFilters(
    _ basis: ThreeBodyBasis, _ ts: TensorScratch, n3b: Int, _ tb: UnsafePointer<Int32>,
    _ sp: UnsafePointer<Int32>,
    _ geo: UnsafePointer<Double>, _ fv: UnsafePointer<Double>, _ fs: Int,
    _ G: UnsafeMutablePointer<Double>
  ) {
    let na = basis.radial
    let nc = basis.angular
    let cp = ts.cStride
    let chunks = cp / 4
    let row = na * cp
    let S = ts.s
    for p in 0..<n3b {
      let o = S + Int(tb[p]) * row
      for x in 0..<row { o[x] = 0 }
    }
    let outV = ts.outside
    let outD = ts.outside + cp
    var t = 0
    for p in 0..<(n3b - 1) {
      let j = Int(tb[p])
      let gj = geo + 8 * j
      let cj = Int(sp[j])
      let fvj = fv + j * fs
      let sj = S + j * row
      for q in (p + 1)..<n3b {
        let k = Int(tb[q])
        let gk = geo + 8 * k
        let cosine = gj[5] * gk[5] + gj[6] * gk[6] + gj[7] * gk[7]
        // One interval lookup for all C angular splines (the table's stride is cp).
        let g = gTables[gLookup[cj * elementCount + Int(sp[k])]].point(
          cosine, values: outV, derivatives: outD)
        let gvt = ts.gv + t * cp
        let gdt = ts.gd + t * cp
        let fvk = fv + k * fs
        let sk = S + k * row
        for ch in 0..<chunks {
          let o = 4 * ch
          let (gval, gder) = g.four(o)
          store4(gdt + o, gder)
          store4(gvt + o, gval)
          for b in 0..<na {
            let rj = sj + b * cp + o
            let rk = sk + b * cp + o
            store4(rj, load4(rj) + fvk[b] * gval)
            store4(rk, load4(rk) + fvj[b] * gval)
          }
        }
        t += 1
      }
    }
    var m = 0
    for a in 0..<na {
      for b in a..<na {
        for c in 0..<nc {
          var sum = 0.0
          for p in 0..<n3b {
            let j = Int(tb[p])
            sum += fv[j * fs + a] * S[j * row + b * cp + c]
          }
          G[m] += 0.5 * sum
          m += 1
        }
      }
    }
  }

  /// Force pass: adds ∂Φ/∂d_ij of every three-body neighbour slot to `ts.grad`
  /// (3 per slot, zeroed by the caller), given w = ∂E/∂G3 and the g values cached
  /// by ``tensorFilters``.
  @inline(__always)
  func tensorGradient(
    _ basis: ThreeBodyBasis, _ ts: TensorScratch, n3b: Int, _ tb: UnsafePointer<Int32>,
    _ geo: UnsafePointer<Double>, _ fv: UnsafePointer<Double>, _ fd: UnsafePointer<Double>,
    _ fs: Int,
    _ w: UnsafePointer<Double>
  ) {
    let na = basis.radial
    let cp = ts.cStride
    let chunks = cp / 4
    let row = na * cp
    let W = ts.w
    basis.spread(w, into: W, stride: cp)
    // U_bc(j) = Σ_a W_abc f_a(r_ij), U′_bc(j) = Σ_a W_abc f_a′(r_ij).
    let U = ts.s
    let Ud = ts.sd
    for p in 0..<n3b {
      let j = Int(tb[p])
      let fvj = fv + j * fs
      let fdj = fd + j * fs
      let uj = U + j * row
      let udj = Ud + j * row
      for x in Swift.stride(from: 0, to: row, by: 4) {
        var u = SIMD4<Double>.zero
        var ud = SIMD4<Double>.zero
        for a in 0..<na {
          let wa = load4(W + a * row + x)
          u += wa * fvj[a]
          ud += wa * fdj[a]
        }
        store4(uj + x, u)
        store4(udj + x, ud)
      }
    }
    var t = 0
    for p in 0..<(n3b - 1) {
      let j = Int(tb[p])
      let gj = geo + 8 * j
      let fvj = fv + j * fs
      let uj = U + j * row
      let udj = Ud + j * row
      let oj = ts.grad + 3 * j
      for q in (p + 1)..<n3b {
        let k = Int(tb[q])
        let gk = geo + 8 * k
        let cosine = gj[5] * gk[5] + gj[6] * gk[6] + gj[7] * gk[7]
        let gvt = ts.gv + t * cp
        let gdt = ts.gd + t * cp
        let fvk = fv + k * fs
        let udk = Ud + k * row
        var drj = SIMD4<Double>.zero
        var drk = SIMD4<Double>.zero
        var dc = SIMD4<Double>.zero
        for ch in 0..<chunks {
          let o = 4 * ch
          let gval = load4(gvt + o)
          let gder = load4(gdt + o)
          var vj = SIMD4<Double>.zero  // Σ_b U′_bc(j) f_b(r_ik)
          var vk = SIMD4<Double>.zero  // Σ_b U′_bc(k) f_b(r_ij)
          var vc = SIMD4<Double>.zero  // Σ_b U_bc(j) f_b(r_ik)
          for b in 0..<na {
            let fkb = fvk[b]
            let fjb = fvj[b]
            vj += load4(udj + b * cp + o) * fkb
            vk += load4(udk + b * cp + o) * fjb
            vc += load4(uj + b * cp + o) * fkb
          }
          drj += vj * gval
          drk += vk * gval
          dc += vc * gder
        }
        let dRj = drj.sum()
        let dRk = drk.sum()
        let dC = dc.sum()
        // r_ij and cos θ as functions of d_ij and d_ik: ∂r/∂d = u, ∂cos/∂d_ij = (u_k − cos u_j)/r_ij.
        let cj = dC * gj[4]
        let ck = dC * gk[4]
        oj[0] += dRj * gj[5] + cj * (gk[5] - cosine * gj[5])
        oj[1] += dRj * gj[6] + cj * (gk[6] - cosine * gj[6])
        oj[2] += dRj * gj[7] + cj * (gk[7] - cosine * gj[7])
        let ok = ts.grad + 3 * k
        ok[0] += dRk * gk[5] + ck * (gj[5] - cosine * gk[5])
        ok[1] += dRk * gk[6] + ck * (gj[6] - cosine * gk[6])
        ok[2] += dRk * gk[7] + ck * (gj[7] - cosine * gk[7])
        t += 1
      }
    }
  }
}
