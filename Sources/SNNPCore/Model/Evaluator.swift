#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one evaluation kernel: energies, forces, virial and filter vectors of
/// atoms given positions and a neighbour list. The fitter, `snnp eval` and the
/// LAMMPS pair style (through the C API) all call ``compute(_:)``.
///
/// An evaluator owns scratch memory: use one per thread.
public final class Evaluator {
  /// The potential being evaluated.
  public let potential: Potential
  package let n3: Int
  /// N3 rounded up to a multiple of 4: the stride of per-neighbour filter arrays,
  /// so the triplet loop runs on whole SIMD4 vectors (padding lanes stay zero).
  let n3p: Int
  package let n2: Int
  /// The tensor-product three-body form, or nil for the product form.
  package let basis: ThreeBodyBasis?
  /// Scratch of the tensor form (nil for the product form).
  let tensorScratch: TensorScratch?
  /// Stride of the per-neighbour f values: N3 (product form) or A (tensor form),
  /// rounded up to a multiple of 4.
  let fStride: Int
  package let elementCount: Int
  package let fTables: [SplineTable]
  package let gTables: [SplineTable]
  package let rhoTables: [SplineTable]
  package let pairTables: [SplineTable]?
  /// The ZBL core per unordered element pair (index `pairLookup`), or nil.
  let coreTerms: [ZBLPair]?
  /// Unordered-pair index (pair term, core, closest approach) of the ordered element
  /// pair (c_i, c_j): `pairLookup[c_i * n + c_j]`.
  package let pairLookup: [Int]
  /// g table of the ordered neighbour element pair (c_j, c_k): `gLookup[c_j * n + c_k]`
  /// (the pair index, or 0 for every pair with shared filters).
  package let gLookup: [Int]
  /// f table of neighbour element c_j: `fLookup[c_j]` (c_j, or 0 with shared filters).
  package let fLookup: [Int]
  /// ρ table of neighbour element c_j: `rhoLookup[c_j]` (c_j, or 0 with shared filters).
  package let rhoLookup: [Int]
  /// Per element its network heads (one, or K for a committee; none without a network).
  let networks: [[CompiledMLP]]
  /// The training domain ready for grades, or nil when the potential has none.
  let domain: CompiledDomain?
  let embeddings: [(table: SplineTable, zero: Double)?]
  let cutoff: Double

  // Per-neighbour scratch, grown on demand.
  var capacity = 0
  var nbIndex: [Int32] = []
  var nbSpecies: [Int32] = []
  var nbGeometry: [Double] = []  // per neighbour: dx dy dz r 1/r ux uy uz
  var fValue: [Double] = []
  var fDerivative: [Double] = []
  var jacobian: [Double] = []  // per neighbour [component][filter]: ∂G3[a]/∂d_ij
  var rhoDerivative: [Double] = []
  var pairDerivative: [Double] = []  // ½ φ'(r)
  var threeBody: [Int32] = []
  var filters: [Double]
  var weights: [Double]
  var scratchA: [Double]
  var scratchB: [Double]
  var gValue: [Double]
  var gDerivative: [Double]
  var g3: [Double]
  let networkGradient: UnsafeMutablePointer<Double>
  /// Per-head regressor energies of the current atom (committee spread).
  var headEnergies: [Double]
  /// Standardised filter vector for the grade.
  var gradeScratch: [Double]

  deinit { networkGradient.deallocate() }

  /// Compiles `potential` for evaluation.
  public init(_ potential: Potential) {
    self.potential = potential
    n3 = potential.threeBodyCount
    n3p = (potential.threeBodyCount + 3) & ~3
    n2 = potential.twoBodyCount
    basis = potential.threeBodyCount > 0 ? potential.threeBodyBasis : nil
    tensorScratch = basis.map(TensorScratch.init)
    fStride = basis.map { ($0.radial + 3) & ~3 } ?? ((potential.threeBodyCount + 3) & ~3)
    elementCount = potential.elementCount
    fTables = potential.f.map(SplineTable.init)
    gTables = potential.g.map(SplineTable.init)
    rhoTables = potential.rho.map(SplineTable.init)
    pairTables = potential.pair?.map(SplineTable.init)
    coreTerms = potential.core.map { core in
      (0..<potential.pairCount).map { k in
        let (a, b) = potential.elementPair(k)
        return core.pair(a, b)
      }
    }
    let n = potential.elementCount
    pairLookup = (0..<(n * n)).map { Potential.pairIndex($0 / n, $0 % n, elementCount: n) }
    gLookup = (0..<(n * n)).map { potential.gBankIndex($0 / n, $0 % n) }
    fLookup = (0..<n).map(potential.fBankIndex)
    rhoLookup = (0..<n).map(potential.rhoBankIndex)
    networks = potential.regressors.map { $0.networks.map(CompiledMLP.init) }
    domain = potential.domain.flatMap(CompiledDomain.init)
    headEnergies = [Double](repeating: 0, count: potential.headCount)
    gradeScratch = [Double](repeating: 0, count: potential.filterCount + 1)
    embeddings = potential.regressors.map {
      if case .embedding(let u) = $0 {
        let t = SplineTable(SplineBank(splines: [u], cutoff: .infinity))
        var v = [0.0]
        t.evaluateValues(0.0, values: &v)
        return (t, v[0])
      }
      return nil
    }
    cutoff = potential.cutoff
    filters = [Double](repeating: 0, count: potential.filterCount)
    weights = filters
    scratchA = [Double](repeating: 0, count: max(n3, n2, 1))
    scratchB = scratchA
    gValue = [Double](repeating: 0, count: max(n3p, 4))
    gDerivative = gValue
    g3 = gValue
    networkGradient = .allocate(capacity: max(1, potential.filterCount))
  }

  /// What to compute and where to put it. Output arrays are accumulated into (`+=`).
  public struct Request {
    /// Number of centre atoms (the first entries of `positions`).
    public var localCount: Int
    /// Local plus ghost atoms.
    public var totalCount: Int
    /// Flat positions, `3 * totalCount` (Å).
    public var positions: UnsafePointer<Double>
    /// Element index per atom; negative entries are ignored.
    public var species: UnsafePointer<Int32>
    /// Forces on all atoms, `3 * totalCount` (eV/Å), or nil.
    public var forces: UnsafeMutablePointer<Double>?
    /// Per-atom energies of the local atoms (eV), or nil.
    public var atomEnergies: UnsafeMutablePointer<Double>?
    /// Global virial W = Σ r ⊗ f as xx, yy, zz, xy, xz, yz (eV), or nil.
    public var virial: UnsafeMutablePointer<Double>?
    /// Per-atom virial, 6 per atom for all `totalCount` atoms (eV), or nil.
    public var atomVirial: UnsafeMutablePointer<Double>?
    /// Filter vectors of the local atoms, `filterCount` per atom, or nil.
    public var filters: UnsafeMutablePointer<Double>?
    /// Per local atom, 2 values (eV): the linear part b + ½Σ(φ + core) + skip·ΣG and the
    /// regressor part (network or embedding); they sum to the atomic energy. Or nil.
    public var energyParts: UnsafeMutablePointer<Double>?
    /// Receives each atom's intermediate results (the fitter's hook), or nil.
    public var recorder: AtomRecorder?
    /// Per local atom the committee spread σ_i (eV): the standard deviation over the
    /// K heads of their regressor energies (0 for a single head), WRITTEN. Or nil.
    public var sigmas: UnsafeMutablePointer<Double>?
    /// Per local atom the extrapolation grade γ_i (``TrainingDomain``), WRITTEN, or
    /// nil. Needs a potential with a training domain (ignored without one).
    public var grades: UnsafeMutablePointer<Double>?
    /// Per local atom 1 when a neighbour is closer than the training data's closest
    /// approach for that element pair, else 0, WRITTEN, or nil. Needs a training domain.
    public var closeFlags: UnsafeMutablePointer<Double>?
    /// K values (one per committee head): each head's regressor energy summed over the
    /// local atoms (eV), ADDED; the spread of a structure's energy over heads. Or nil.
    public var headTotals: UnsafeMutablePointer<Double>?

    /// Creates a request with no outputs but the energy.
    public init(
      localCount: Int, totalCount: Int, positions: UnsafePointer<Double>, species: UnsafePointer<Int32>
    ) {
      self.localCount = localCount
      self.totalCount = totalCount
      self.positions = positions
      self.species = species
    }
  }

  func reserve(_ n: Int) {
    guard n > capacity else { return }
    capacity = max(n, 2 * capacity)
    nbIndex = [Int32](repeating: 0, count: capacity)
    nbSpecies = nbIndex
    threeBody = nbIndex
    nbGeometry = [Double](repeating: 0, count: 8 * capacity)
    fValue = [Double](repeating: 0, count: fStride * capacity)
    fDerivative = fValue
    jacobian = [Double](repeating: 0, count: basis == nil ? 3 * n3p * capacity : 0)
    rhoDerivative = [Double](repeating: 0, count: n2 * capacity)
    pairDerivative = [Double](repeating: 0, count: capacity)
  }

  /// Evaluates every local atom with species >= 0 and returns their total energy (eV).
  ///
  /// `neighbors` must list, for each local atom, every atom within the
  /// potential's cutoff (more is fine: farther atoms are skipped).
  public func compute(_ request: Request, neighbors: NeighborList) -> Double {
    var maxNeighbors = 0
    for i in 0..<request.localCount {
      maxNeighbors = max(maxNeighbors, neighbors.offsets[i + 1] - neighbors.offsets[i])
    }
    reserve(maxNeighbors)
    tensorScratch?.reserve(neighbors: maxNeighbors)
    var total = 0.0
    neighbors.indices.withUnsafeBufferPointer { list in
      for i in 0..<request.localCount where request.species[i] >= 0 {
        let start = neighbors.offsets[i]
        let count = neighbors.offsets[i + 1] - start
        total += computeAtom(i, neighbors: list.baseAddress! + start, count: count, request)
      }
    }
    return total
  }

  /// Energy of atom i; accumulates forces, virials and filters as the request asks.
  func computeAtom(_ i: Int, neighbors: UnsafePointer<Int32>, count: Int, _ rq: Request) -> Double {
    let ci = Int(rq.species[i])
    let cut2 = cutoff * cutoff
    let n3 = self.n3
    let n2 = self.n2
    let nf = n3 + n2
    return nbIndex.withUnsafeMutableBufferPointer { idxB in
      nbSpecies.withUnsafeMutableBufferPointer { spB in
        nbGeometry.withUnsafeMutableBufferPointer { geoB in
          fValue.withUnsafeMutableBufferPointer { fvB in
            fDerivative.withUnsafeMutableBufferPointer { fdB in
              jacobian.withUnsafeMutableBufferPointer { jacB in
                rhoDerivative.withUnsafeMutableBufferPointer { rdB in
                  pairDerivative.withUnsafeMutableBufferPointer { pdB in
                    threeBody.withUnsafeMutableBufferPointer { tbB in
                      filters.withUnsafeMutableBufferPointer { GB in
                        weights.withUnsafeMutableBufferPointer { wB in
                          scratchA.withUnsafeMutableBufferPointer { sA in
                            scratchB.withUnsafeMutableBufferPointer { sB in
                              gValue.withUnsafeMutableBufferPointer { gvB in
                                gDerivative.withUnsafeMutableBufferPointer { gdB in
                                  g3.withUnsafeMutableBufferPointer { g3B in
                                    atomKernel(
                                      i, ci, neighbors, count, rq, cut2, n3, n2, nf,
                                      idxB.baseAddress!, spB.baseAddress!, geoB.baseAddress!,
                                      fvB.baseAddress, fdB.baseAddress, jacB.baseAddress,
                                      rdB.baseAddress, pdB.baseAddress!, tbB.baseAddress!,
                                      GB.baseAddress, wB.baseAddress, sA.baseAddress!, sB.baseAddress!,
                                      gvB.baseAddress!, gdB.baseAddress!, g3B.baseAddress!)
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @inline(__always)
  func atomKernel(
    _ i: Int, _ ci: Int, _ neighbors: UnsafePointer<Int32>, _ count: Int, _ rq: Request, _ cut2: Double,
    _ n3: Int, _ n2: Int, _ nf: Int,
    _ idx: UnsafeMutablePointer<Int32>, _ sp: UnsafeMutablePointer<Int32>, _ geo: UnsafeMutablePointer<Double>,
    _ fv: UnsafeMutablePointer<Double>?, _ fd: UnsafeMutablePointer<Double>?, _ jac: UnsafeMutablePointer<Double>?,
    _ rd: UnsafeMutablePointer<Double>?, _ pd: UnsafeMutablePointer<Double>, _ tb: UnsafeMutablePointer<Int32>,
    _ G: UnsafeMutablePointer<Double>?, _ w: UnsafeMutablePointer<Double>?,
    _ sA: UnsafeMutablePointer<Double>, _ sB: UnsafeMutablePointer<Double>,
    _ gA: UnsafeMutablePointer<Double>, _ gB: UnsafeMutablePointer<Double>, _ g3: UnsafeMutablePointer<Double>
  ) -> Double {
    let n3p = self.n3p
    let x = rq.positions
    let xi = x[3 * i]
    let yi = x[3 * i + 1]
    let zi = x[3 * i + 2]
    // 1. Neighbours inside the cutoff: geometry.
    var nn = 0
    for q in 0..<count {
      let j = Int(neighbors[q])
      let dx = x[3 * j] - xi
      let dy = x[3 * j + 1] - yi
      let dz = x[3 * j + 2] - zi
      let r2 = dx * dx + dy * dy + dz * dz
      if r2 >= cut2 { continue }
      let r = r2.squareRoot()
      let inv = 1.0 / r
      idx[nn] = Int32(j)
      sp[nn] = rq.species[j]
      let g = geo + 8 * nn
      g[0] = dx
      g[1] = dy
      g[2] = dz
      g[3] = r
      g[4] = inv
      g[5] = dx * inv
      g[6] = dy * inv
      g[7] = dz * inv
      nn += 1
    }
    if let flags = rq.closeFlags, let domain {
      var close = 0.0
      for n in 0..<nn where geo[8 * n + 3] < domain.closestApproach[pairLookup[ci * elementCount + Int(sp[n])]] {
        close = 1
      }
      flags[i] = close
    }
    for a in 0..<nf { G![a] = 0 }
    // 2. Radial splines: pair term, two-body filters, three-body f values.
    var energy = potential.bias[ci]
    var n3b = 0
    for n in 0..<nn {
      let cj = Int(sp[n])
      let r = geo[8 * n + 3]
      pd[n] = 0
      if let pairTables {
        let t = pairTables[pairLookup[ci * elementCount + cj]]
        if r < t.cutoff {
          var v = 0.0
          var d = 0.0
          t.evaluate(r, values: &v, derivatives: &d)
          energy += 0.5 * v
          pd[n] = 0.5 * d
        }
      }
      if let coreTerms {
        let z = coreTerms[pairLookup[ci * elementCount + cj]]
        if r * r < z.outerSquared {
          let (v, d) = z.evaluate(r)
          energy += 0.5 * v
          pd[n] += 0.5 * d
        }
      }
      if n2 > 0 {
        let t = rhoTables[rhoLookup[cj]]
        let rdn = rd! + n * n2
        if r < t.cutoff {
          t.evaluate(r, values: sA, derivatives: rdn)
          for b in 0..<n2 { G![n3 + b] += sA[b] }
        } else {
          for b in 0..<n2 { rdn[b] = 0 }
        }
      }
      if n3 > 0 {
        let t = fTables[fLookup[cj]]
        if basis == nil {
          let jn = jac! + 3 * n3p * n
          for a in 0..<(3 * n3p) { jn[a] = 0 }
        }
        if r < t.cutoff {
          t.evaluate(r, values: fv! + n * fStride, derivatives: fd! + n * fStride)
          tb[n3b] = Int32(n)
          n3b += 1
        }
      }
    }
    // 3. Triplets j < k: G3 and (product form) its Jacobian with respect to d_ij and d_ik.
    if let basis, n3b > 1 {
      tensorFilters(basis, tensorScratch!, n3b: n3b, tb, sp, geo, fv!, fStride, G!)
    } else if n3 > 0 && n3b > 1 {
      let fv = fv!
      let fd = fd!
      let jac = jac!
      let chunks = n3p / 4
      for a in 0..<n3p { g3[a] = 0 }
      for p in 0..<(n3b - 1) {
        let j = Int(tb[p])
        let gj = geo + 8 * j
        let invrj = gj[4]
        let uxj = gj[5]
        let uyj = gj[6]
        let uzj = gj[7]
        let cj = Int(sp[j])
        let fvj = fv + j * n3p
        let fdj = fd + j * n3p
        let jj = jac + 3 * n3p * j
        for q in (p + 1)..<n3b {
          let k = Int(tb[q])
          let gk = geo + 8 * k
          let invrk = gk[4]
          let uxk = gk[5]
          let uyk = gk[6]
          let uzk = gk[7]
          let cosine = uxj * uxk + uyj * uyk + uzj * uzk
          // g of every filter at cos θ, computed inside the vector loop from one
          // interval lookup; outside the knot range (rare) from the extrapolation.
          let table = gTables[gLookup[cj * elementCount + Int(sp[k])]]
          let interior = table.isInterior(cosine)
          var row = gA
          var t = 0.0
          if interior {
            (row, t) = table.interiorRow(cosine)
          } else {
            table.evaluate(cosine, values: gA, derivatives: gB)
          }
          let st = table.stride
          let fvk = fv + k * n3p
          let fdk = fd + k * n3p
          let jk = jac + 3 * n3p * k
          // All filters at once, four per SIMD vector (DESIGN.md §3).
          for c in 0..<chunks {
            let o = 4 * c
            let fj = load4(fvj + o)
            let fk = load4(fvk + o)
            let gval: SIMD4<Double>
            let gder: SIMD4<Double>
            if interior {
              let c0 = load4(row + o)
              let c1 = load4(row + st + o)
              let c2 = load4(row + 2 * st + o)
              let c3 = load4(row + 3 * st + o)
              gval = c0 + t * (c1 + t * (c2 + t * c3))
              gder = c1 + t * (2 * c2 + (3 * t) * c3)
            } else {
              gval = load4(gA + o)
              gder = load4(gB + o)
            }
            let fjfk = fj * fk
            store4(g3 + o, load4(g3 + o) + fjfk * gval)
            let b = fjfk * gder
            let bj = b * invrj
            let bk = b * invrk
            let alphaJ = load4(fdj + o) * fk * gval - bj * cosine
            let alphaK = fj * load4(fdk + o) * gval - bk * cosine
            store4(jj + o, load4(jj + o) + alphaJ * uxj + bj * uxk)
            store4(jj + n3p + o, load4(jj + n3p + o) + alphaJ * uyj + bj * uyk)
            store4(jj + 2 * n3p + o, load4(jj + 2 * n3p + o) + alphaJ * uzj + bj * uzk)
            store4(jk + o, load4(jk + o) + alphaK * uxk + bk * uxj)
            store4(jk + n3p + o, load4(jk + n3p + o) + alphaK * uyk + bk * uyj)
            store4(jk + 2 * n3p + o, load4(jk + 2 * n3p + o) + alphaK * uzk + bk * uzj)
          }
        }
      }
      for a in 0..<n3 { G![a] += g3[a] }
    }
    // 4. Regressor: atomic energy and w = ∂E_i/∂G_i.
    let (skipPart, regressorPart) = regress(ci, G, w, nf, sigma: rq.sigmas.map { $0 + i }, headTotals: rq.headTotals)
    if let grades = rq.grades, let domain, nf > 0 {
      grades[i] = gradeScratch.withUnsafeMutableBufferPointer { domain.grade(ci, G!, scratch: $0.baseAddress!) }
    }
    if let parts = rq.energyParts {
      parts[2 * i] += energy + skipPart  // bias + pair + Σ G: the classical, linear part
      parts[2 * i + 1] += regressorPart
    }
    energy += skipPart + regressorPart
    if let out = rq.filters {
      let o = out + i * nf
      for a in 0..<nf { o[a] = G![a] }
    }
    if let e = rq.atomEnergies { e[i] += energy }
    if let recorder = rq.recorder {
      recorder.record(
        AtomRecord(
          atom: i, species: ci, energy: energy, neighborCount: nn, neighbors: idx, neighborSpecies: sp, geometry: geo,
          jacobian: basis == nil ? jac : nil, jacobianStride: n3p, rhoDerivatives: rd, filters: G, weights: w))
    }
    // 5. Gradient with respect to each d_ij, scattered to forces and virials.
    let wantForces = rq.forces != nil || rq.virial != nil || rq.atomVirial != nil
    if wantForces {
      if let basis, let ts = tensorScratch {
        for x in 0..<(3 * nn) { ts.grad[x] = 0 }
        if n3b > 1 { tensorGradient(basis, ts, n3b: n3b, tb, geo, fv!, fd!, fStride, w!) }
      }
      for n in 0..<nn {
        let g = geo + 8 * n
        var radial = pd[n]
        if n2 > 0 {
          let rdn = rd! + n * n2
          for b in 0..<n2 { radial += w![n3 + b] * rdn[b] }
        }
        var gx = radial * g[5]
        var gy = radial * g[6]
        var gz = radial * g[7]
        if let ts = tensorScratch {
          gx += ts.grad[3 * n]
          gy += ts.grad[3 * n + 1]
          gz += ts.grad[3 * n + 2]
        } else if n3 > 0 && n3b > 1 {
          let jn = jac! + 3 * n3p * n
          for a in 0..<n3 {
            let wa = w![a]
            gx += wa * jn[a]
            gy += wa * jn[n3p + a]
            gz += wa * jn[2 * n3p + a]
          }
        }
        let j = Int(idx[n])
        if let f = rq.forces {
          f[3 * i] += gx
          f[3 * i + 1] += gy
          f[3 * i + 2] += gz
          f[3 * j] -= gx
          f[3 * j + 1] -= gy
          f[3 * j + 2] -= gz
        }
        let dx = g[0]
        let dy = g[1]
        let dz = g[2]
        let vxx = -dx * gx
        let vyy = -dy * gy
        let vzz = -dz * gz
        let vxy = -dx * gy
        let vxz = -dx * gz
        let vyz = -dy * gz
        if let v = rq.virial {
          v[0] += vxx
          v[1] += vyy
          v[2] += vzz
          v[3] += vxy
          v[4] += vxz
          v[5] += vyz
        }
        if let va = rq.atomVirial {
          for atom in [i, j] {
            let o = va + 6 * atom
            o[0] += 0.5 * vxx
            o[1] += 0.5 * vyy
            o[2] += 0.5 * vzz
            o[3] += 0.5 * vxy
            o[4] += 0.5 * vxz
            o[5] += 0.5 * vyz
          }
        }
      }
    }
    return energy
  }

  /// Non-pair, non-bias part of the atomic energy from the filters, as the skip
  /// connection Σ G and the regressor (network or embedding); writes w = ∂E/∂G.
  @inline(__always)
  func regress(
    _ ci: Int, _ G: UnsafeMutablePointer<Double>?, _ w: UnsafeMutablePointer<Double>?, _ nf: Int,
    sigma: UnsafeMutablePointer<Double>?, headTotals: UnsafeMutablePointer<Double>? = nil
  ) -> (skip: Double, regressor: Double) {
    sigma?.pointee = 0
    guard nf > 0, let G, let w else { return (0, 0) }
    var linear = 0.0
    var e = 0.0
    let skip = potential.skipConnection
    for a in 0..<nf {
      w[a] = skip ? 1 : 0
      if skip { linear += G[a] }
    }
    let heads = networks[ci]
    if heads.count == 1 {
      let grad = networkGradient
      let z = heads[0].evaluate(UnsafePointer(G), gradient: grad)
      var scale = 1.0
      if potential.softplusOutput {
        e += softplus(z)
        scale = sigmoid(z)
      } else {
        e += z
      }
      for a in 0..<nf { w[a] += scale * grad[a] }
    } else if !heads.isEmpty {
      // Committee: the mean of the heads, and ∂E/∂G averaged over heads before the
      // one backward pass through the filters (forces cost as for one head).
      let grad = networkGradient
      let k = Double(heads.count)
      var mean = 0.0
      for (h, net) in heads.enumerated() {
        let z = net.evaluate(UnsafePointer(G), gradient: grad)
        var scale = 1.0 / k
        var eh = z
        if potential.softplusOutput {
          eh = softplus(z)
          scale *= sigmoid(z)
        }
        headEnergies[h] = eh
        mean += eh
        for a in 0..<nf { w[a] += scale * grad[a] }
      }
      mean /= k
      e += mean
      if let headTotals { for h in 0..<heads.count { headTotals[h] += headEnergies[h] } }
      if let sigma {
        var variance = 0.0
        for h in 0..<heads.count { variance += (headEnergies[h] - mean) * (headEnergies[h] - mean) }
        sigma.pointee = (variance / k).squareRoot()
      }
    } else if let emb = embeddings[ci] {
      var s = 0.0
      for a in 0..<nf { s += G[a] }
      var u = 0.0
      var du = 0.0
      emb.table.evaluate(s, values: &u, derivatives: &du)
      e += u - emb.zero
      for a in 0..<nf { w[a] += du }
    }
    return (linear, e)
  }
}

/// log(1 + eˣ), computed without overflow.
@inline(__always) public func softplus(_ x: Double) -> Double {
  max(x, 0) + log1p(exp(-abs(x)))
}

/// 1 / (1 + e⁻ˣ), the derivative of ``softplus(_:)``.
@inline(__always) public func sigmoid(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// One atom's intermediate results, valid only during ``AtomRecorder/record(_:)``.
public struct AtomRecord {
  /// Index of the centre atom.
  public let atom: Int
  /// Element index of the centre.
  public let species: Int
  /// Atomic energy E_i (eV).
  public let energy: Double
  /// Neighbours within the cutoff.
  public let neighborCount: Int
  /// Atom index of each neighbour.
  public let neighbors: UnsafePointer<Int32>
  /// Element index of each neighbour.
  public let neighborSpecies: UnsafePointer<Int32>
  /// Per neighbour: dx dy dz r 1/r ux uy uz (d = x_j − x_i, Å).
  public let geometry: UnsafePointer<Double>
  /// Per neighbour, `3 × jacobianStride` values `[component][filter]`: ∂G3[a]_i/∂d_ij
  /// for filters a < N3 (nil if N3 = 0 or for the tensor-product form, whose
  /// Jacobian is never formed).
  public let jacobian: UnsafePointer<Double>?
  /// Filter stride of `jacobian` (N3 rounded up to a multiple of 4).
  public let jacobianStride: Int
  /// Per neighbour, `N2` values: ρ'[b](r_ij) (zero beyond the ρ cutoff; nil if N2 = 0).
  public let rhoDerivatives: UnsafePointer<Double>?
  /// G_i, `N3 + N2` values.
  public let filters: UnsafePointer<Double>?
  /// w_i = ∂E_i/∂G_i, `N3 + N2` values.
  public let weights: UnsafePointer<Double>?
}

/// Receives per-atom intermediate results during ``Evaluator/compute(_:neighbors:)``.
public protocol AtomRecorder: AnyObject {
  /// Called once per evaluated atom, after its energy and w_i are known.
  func record(_ record: AtomRecord)
}

@inlinable @inline(__always) package func load4(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inlinable @inline(__always) package func store4(_ p: UnsafeMutablePointer<Double>, _ v: SIMD4<Double>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
}
