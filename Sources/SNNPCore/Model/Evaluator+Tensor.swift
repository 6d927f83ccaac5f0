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
  let perNeighbor: Int
  let angular: Int
  /// Per neighbour A·C: S_bc(j) in the forward pass, U_bc(j) in the force pass.
  var s: UnsafeMutablePointer<Double>
  /// Per neighbour A·C: U′_bc(j).
  var sd: UnsafeMutablePointer<Double>
  /// Per triplet C: g_c and g′_c at its cosine.
  var gv: UnsafeMutablePointer<Double>
  var gd: UnsafeMutablePointer<Double>
  /// Per neighbour 3: ∂Φ/∂d_ij.
  var grad: UnsafeMutablePointer<Double>
  /// A·A·C: W_abc.
  let w: UnsafeMutablePointer<Double>

  init(_ basis: ThreeBodyBasis) {
    perNeighbor = basis.radial * basis.angular
    angular = basis.angular
    s = .allocate(capacity: 1)
    sd = .allocate(capacity: 1)
    gv = .allocate(capacity: 1)
    gd = .allocate(capacity: 1)
    grad = .allocate(capacity: 1)
    w = .allocate(capacity: basis.radial * basis.radial * basis.angular)
  }

  deinit {
    for p in [s, sd, gv, gd, grad, w] { p.deallocate() }
  }

  func reserve(neighbors: Int) {
    if neighbors > neighborCapacity {
      neighborCapacity = max(neighbors, 2 * neighborCapacity)
      for p in [s, sd, grad] { p.deallocate() }
      s = .allocate(capacity: neighborCapacity * perNeighbor)
      sd = .allocate(capacity: neighborCapacity * perNeighbor)
      grad = .allocate(capacity: 3 * neighborCapacity)
    }
    let triplets = neighbors * (neighbors - 1) / 2
    if triplets > tripletCapacity {
      tripletCapacity = max(triplets, 2 * tripletCapacity)
      gv.deallocate()
      gd.deallocate()
      gv = .allocate(capacity: tripletCapacity * angular)
      gd = .allocate(capacity: tripletCapacity * angular)
    }
  }
}

extension Evaluator {
  /// Forward pass: adds G3 of the tensor form to `G` and caches g, g′ per triplet.
  /// `tb[0..<n3b]` are the neighbour slots inside the three-body cutoff; f values of
  /// slot n start at `fv + n * fs`.
  @inline(__always)
  func tensorFilters(
    _ basis: ThreeBodyBasis, _ ts: TensorScratch, n3b: Int, _ tb: UnsafePointer<Int32>, _ sp: UnsafePointer<Int32>,
    _ geo: UnsafePointer<Double>, _ fv: UnsafePointer<Double>, _ fs: Int, _ G: UnsafeMutablePointer<Double>
  ) {
    let na = basis.radial
    let nc = basis.angular
    let ac = na * nc
    let S = ts.s
    for p in 0..<n3b {
      let o = S + Int(tb[p]) * ac
      for x in 0..<ac { o[x] = 0 }
    }
    var t = 0
    for p in 0..<(n3b - 1) {
      let j = Int(tb[p])
      let gj = geo + 8 * j
      let cj = Int(sp[j])
      let fvj = fv + j * fs
      let sj = S + j * ac
      for q in (p + 1)..<n3b {
        let k = Int(tb[q])
        let gk = geo + 8 * k
        let cosine = gj[5] * gk[5] + gj[6] * gk[6] + gj[7] * gk[7]
        let gvt = ts.gv + t * nc
        gTables[gLookup[cj * elementCount + Int(sp[k])]].evaluate(cosine, values: gvt, derivatives: ts.gd + t * nc)
        let fvk = fv + k * fs
        let sk = S + k * ac
        for b in 0..<na {
          let fkb = fvk[b]
          let fjb = fvj[b]
          let rj = sj + b * nc
          let rk = sk + b * nc
          for c in 0..<nc {
            rj[c] += fkb * gvt[c]
            rk[c] += fjb * gvt[c]
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
            sum += fv[j * fs + a] * S[j * ac + b * nc + c]
          }
          G[m] += 0.5 * sum
          m += 1
        }
      }
    }
  }

  /// Force pass: adds ∂Φ/∂d_ij of every three-body neighbour slot to `ts.grad`
  /// (3 per slot, zeroed by the caller), given w = ∂E/∂G3 and the g
  /// values cached by ``tensorFilters``.
  @inline(__always)
  func tensorGradient(
    _ basis: ThreeBodyBasis, _ ts: TensorScratch, n3b: Int, _ tb: UnsafePointer<Int32>,
    _ geo: UnsafePointer<Double>, _ fv: UnsafePointer<Double>, _ fd: UnsafePointer<Double>, _ fs: Int,
    _ w: UnsafePointer<Double>
  ) {
    let na = basis.radial
    let nc = basis.angular
    let ac = na * nc
    let W = ts.w
    var m = 0
    for a in 0..<na {
      for b in a..<na {
        for c in 0..<nc {
          let v = a == b ? w[m] : 0.5 * w[m]
          W[(a * na + b) * nc + c] = v
          W[(b * na + a) * nc + c] = v
          m += 1
        }
      }
    }
    let U = ts.s
    let Ud = ts.sd
    for p in 0..<n3b {
      let j = Int(tb[p])
      let fvj = fv + j * fs
      let fdj = fd + j * fs
      let uj = U + j * ac
      let udj = Ud + j * ac
      for x in 0..<ac {
        uj[x] = 0
        udj[x] = 0
      }
      for a in 0..<na {
        let va = fvj[a]
        let da = fdj[a]
        let wa = W + a * ac
        for x in 0..<ac {
          uj[x] += wa[x] * va
          udj[x] += wa[x] * da
        }
      }
    }
    var t = 0
    for p in 0..<(n3b - 1) {
      let j = Int(tb[p])
      let gj = geo + 8 * j
      let fvj = fv + j * fs
      let uj = U + j * ac
      let udj = Ud + j * ac
      let oj = ts.grad + 3 * j
      for q in (p + 1)..<n3b {
        let k = Int(tb[q])
        let gk = geo + 8 * k
        let cosine = gj[5] * gk[5] + gj[6] * gk[6] + gj[7] * gk[7]
        let gvt = ts.gv + t * nc
        let gdt = ts.gd + t * nc
        let fvk = fv + k * fs
        let udk = Ud + k * ac
        var drj = 0.0
        var drk = 0.0
        var dc = 0.0
        for b in 0..<na {
          let fkb = fvk[b]
          let fjb = fvj[b]
          let ujb = uj + b * nc
          let udjb = udj + b * nc
          let udkb = udk + b * nc
          for c in 0..<nc {
            drj += udjb[c] * fkb * gvt[c]
            drk += udkb[c] * fjb * gvt[c]
            dc += ujb[c] * fkb * gdt[c]
          }
        }
        // r_ij and cos θ as functions of d_ij and d_ik: ∂r/∂d = u, ∂cos/∂d_ij = (u_k − cos u_j)/r_ij.
        let cj = dc * gj[4]
        let ck = dc * gk[4]
        oj[0] += drj * gj[5] + cj * (gk[5] - cosine * gj[5])
        oj[1] += drj * gj[6] + cj * (gk[6] - cosine * gj[6])
        oj[2] += drj * gj[7] + cj * (gk[7] - cosine * gj[7])
        let ok = ts.grad + 3 * k
        ok[0] += drk * gk[5] + ck * (gj[5] - cosine * gk[5])
        ok[1] += drk * gk[6] + ck * (gj[6] - cosine * gk[6])
        ok[2] += drk * gk[7] + ck * (gj[7] - cosine * gk[7])
        t += 1
      }
    }
  }
}
