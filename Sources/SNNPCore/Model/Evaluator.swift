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
  /// Number of four-body filters N4 = 2A (0 for none).
  package let n4: Int
  /// Scratch of the four-body moment filters (nil without them).
  let momentScratch: MomentScratch?
  /// h tables (four-body radial splines) and the bank of neighbour element c_j.
  package let hTables: [SplineTable]
  package let hLookup: [Int]
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

  /// Per-neighbour and per-atom scratch memory of the kernel.
  let scratch: KernelScratch
  /// Per-head regressor energies of the current atom (committee spread).
  var headEnergies: [Double]
  /// Standardised filter vector for the grade.
  var gradeScratch: [Double]

  /// Compiles `potential` for evaluation.
  public init(_ potential: Potential) {
    self.potential = potential
    n3 = potential.threeBodyCount
    n3p = (potential.threeBodyCount + 3) & ~3
    n2 = potential.twoBodyCount
    n4 = potential.fourBodyCount
    momentScratch = potential.fourBodySplines > 0 ? MomentScratch(radial: potential.fourBodySplines) : nil
    hTables = potential.h.map(SplineTable.init)
    hLookup = (0..<potential.elementCount).map(potential.hBankIndex)
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
    scratch = KernelScratch(
      filterCount: potential.filterCount, threeBodyStride: n3p, fStride: fStride, twoBodyCount: n2,
      jacobian: basis == nil && n3 > 0)
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
      localCount: Int, totalCount: Int, positions: UnsafePointer<Double>,
      species: UnsafePointer<Int32>
    ) {
      self.localCount = localCount
      self.totalCount = totalCount
      self.positions = positions
      self.species = species
    }
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
    scratch.reserve(maxNeighbors)
    tensorScratch?.reserve(neighbors: maxNeighbors)
    momentScratch?.reserve(neighbors: maxNeighbors)
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
  /// The stages: 1. neighbours inside the cutoff, 2. radial splines, 3. triplets,
  /// 4. regressor, 5. forces and virials from ∂E_i/∂d_ij.
  func computeAtom(_ i: Int, neighbors: UnsafePointer<Int32>, count: Int, _ rq: Request) -> Double {
    let ci = Int(rq.species[i])
    let nf = n3 + n2 + n4
    let nn = gatherNeighbors(i, ci, neighbors, count, rq)
    let G = scratch.filters
    let w = scratch.weights
    for a in 0..<nf { G[a] = 0 }
    var energy = potential.bias[ci]
    let n3b = radialStage(ci, nn, &energy)
    if n3b > 1 {
      if let basis {
        tensorFilters(
          basis, tensorScratch!, n3b: n3b, scratch.threeBody, scratch.species, scratch.geometry,
          scratch.fValue,
          fStride, G)
      } else {
        productTriplets(n3b)
      }
    }
    if let ms = momentScratch { momentFilters(ms, nn, G + n3 + n2) }
    let (skipPart, regressorPart) = regress(
      ci, G, w, nf, sigma: rq.sigmas.map { $0 + i }, headTotals: rq.headTotals)
    if let grades = rq.grades, let domain, nf > 0 {
      grades[i] = gradeScratch.withUnsafeMutableBufferPointer {
        domain.grade(ci, G, scratch: $0.baseAddress!)
      }
    }
    if let parts = rq.energyParts {
      parts[2 * i] += energy + skipPart  // bias + pair + Σ G: the classical, linear part
      parts[2 * i + 1] += regressorPart
    }
    energy += skipPart + regressorPart
    if let out = rq.filters {
      let o = out + i * nf
      for a in 0..<nf { o[a] = G[a] }
    }
    if let e = rq.atomEnergies { e[i] += energy }
    if let recorder = rq.recorder {
      recorder.record(
        AtomRecord(
          atom: i, species: ci, energy: energy, neighborCount: nn, neighbors: scratch.index,
          neighborSpecies: scratch.species, geometry: scratch.geometry,
          jacobian: basis == nil && n3 > 0 ? scratch.jacobian : nil, jacobianStride: n3p,
          rhoDerivatives: n2 > 0 ? scratch.rhoDerivative : nil, filters: G, weights: w))
    }
    if rq.forces != nil || rq.virial != nil || rq.atomVirial != nil {
      scatterForces(i, nn, n3b, rq)
    }
    return energy
  }

  /// Stage 1: the neighbours of atom i inside the cutoff, with their geometry
  /// (dx dy dz r 1/r ux uy uz), and the close flag. Returns their number.
  @inline(__always)
  func gatherNeighbors(
    _ i: Int, _ ci: Int, _ neighbors: UnsafePointer<Int32>, _ count: Int, _ rq: Request
  ) -> Int {
    let x = rq.positions
    let idx = scratch.index
    let sp = scratch.species
    let geo = scratch.geometry
    let cut2 = cutoff * cutoff
    let xi = x[3 * i]
    let yi = x[3 * i + 1]
    let zi = x[3 * i + 2]
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
      for n in 0..<nn
      where geo[8 * n + 3] < domain.closestApproach[pairLookup[ci * elementCount + Int(sp[n])]] {
        close = 1
      }
      flags[i] = close
    }
    return nn
  }

  /// Stage 2: pair term and core (into `energy`), two-body filters, and the f values of
  /// the neighbours inside the three-body cutoff (listed in `scratch.threeBody`).
  /// Returns the number of those neighbours.
  @inline(__always)
  func radialStage(_ ci: Int, _ nn: Int, _ energy: inout Double) -> Int {
    let sp = scratch.species
    let geo = scratch.geometry
    let pd = scratch.pairDerivative
    let rd = scratch.rhoDerivative
    let fv = scratch.fValue
    let fd = scratch.fDerivative
    let jac = scratch.jacobian
    let tb = scratch.threeBody
    let G = scratch.filters
    let sA = scratch.values
    let n3p = self.n3p
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
        let rdn = rd + n * n2
        if r < t.cutoff {
          t.evaluate(r, values: sA, derivatives: rdn)
          for b in 0..<n2 { G[n3 + b] += sA[b] }
        } else {
          for b in 0..<n2 { rdn[b] = 0 }
        }
      }
      if n3 > 0 {
        let t = fTables[fLookup[cj]]
        if basis == nil {
          let jn = jac + 3 * n3p * n
          for a in 0..<(3 * n3p) { jn[a] = 0 }
        }
        if r < t.cutoff {
          t.evaluate(r, values: fv + n * fStride, derivatives: fd + n * fStride)
          tb[n3b] = Int32(n)
          n3b += 1
        }
      }
    }
    return n3b
  }

  /// Stage 3, product form: G3 over the triplets j < k and its Jacobian with respect
  /// to d_ij and d_ik, all filters at once, four per SIMD vector (DESIGN.md §3).
  @inline(__always)
  func productTriplets(_ n3b: Int) {
    let sp = scratch.species
    let geo = scratch.geometry
    let fv = scratch.fValue
    let fd = scratch.fDerivative
    let jac = scratch.jacobian
    let tb = scratch.threeBody
    let gA = scratch.angularValues
    let gB = scratch.angularDerivatives
    let g3 = scratch.tripletSums
    let G = scratch.filters
    let n3p = self.n3p
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
        // (Written out rather than through SplineTable.point, which does the same:
        // here, in the MD kernel, that form measured 6 % slower.)
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
    for a in 0..<n3 { G[a] += g3[a] }
  }

  /// Stage 5: the gradient of E_i with respect to each d_ij, scattered to forces and virials.
  @inline(__always)
  func scatterForces(_ i: Int, _ nn: Int, _ n3b: Int, _ rq: Request) {
    let idx = scratch.index
    let geo = scratch.geometry
    let pd = scratch.pairDerivative
    let rd = scratch.rhoDerivative
    let jac = scratch.jacobian
    let w = scratch.weights
    let n3p = self.n3p
    if let basis, let ts = tensorScratch {
      for x in 0..<(3 * nn) { ts.grad[x] = 0 }
      if n3b > 1 {
        tensorGradient(
          basis, ts, n3b: n3b, scratch.threeBody, geo, scratch.fValue, scratch.fDerivative, fStride,
          w)
      }
    }
    if let ms = momentScratch { momentGradient(ms, nn, w + n3 + n2) }
    for n in 0..<nn {
      let g = geo + 8 * n
      var radial = pd[n]
      if n2 > 0 {
        let rdn = rd + n * n2
        for b in 0..<n2 { radial += w[n3 + b] * rdn[b] }
      }
      var gx = radial * g[5]
      var gy = radial * g[6]
      var gz = radial * g[7]
      if let ts = tensorScratch {
        gx += ts.grad[3 * n]
        gy += ts.grad[3 * n + 1]
        gz += ts.grad[3 * n + 2]
      } else if n3 > 0 && n3b > 1 {
        let jn = jac + 3 * n3p * n
        for a in 0..<n3 {
          let wa = w[a]
          gx += wa * jn[a]
          gy += wa * jn[n3p + a]
          gz += wa * jn[2 * n3p + a]
        }
      }
      if let ms = momentScratch {
        gx += ms.grad[3 * n]
        gy += ms.grad[3 * n + 1]
        gz += ms.grad[3 * n + 2]
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
      let grad = scratch.networkGradient
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
      let grad = scratch.networkGradient
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
  /// G_i, `N3 + N2 + N4` values.
  public let filters: UnsafePointer<Double>?
  /// w_i = ∂E_i/∂G_i, `N3 + N2 + N4` values.
  public let weights: UnsafePointer<Double>?
}

/// Receives per-atom intermediate results during ``Evaluator/compute(_:neighbors:)``.
public protocol AtomRecorder: AnyObject {
  /// Called once per evaluated atom, after its energy and w_i are known.
  func record(_ record: AtomRecord)
}

@inlinable @inline(__always) package func load4(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double>
{
  UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
}

@inlinable @inline(__always) package func store4(
  _ p: UnsafeMutablePointer<Double>, _ v: SIMD4<Double>
) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
}

/// The kernel's scratch memory: per-neighbour arrays (grown on demand) and per-atom
/// vectors, as raw pointers so that the stages of ``Evaluator/computeAtom`` share them
/// without copies or access checks. Padding lanes of the SIMD strides stay zero.
final class KernelScratch {
  private(set) var capacity = 0
  let threeBodyStride: Int
  let fStride: Int
  let twoBodyCount: Int
  let hasJacobian: Bool
  // Per neighbour.
  private(set) var index = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private(set) var species = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private(set) var threeBody = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  /// dx dy dz r 1/r ux uy uz per neighbour.
  private(set) var geometry = zeroedDoubles(8)
  private(set) var fValue = zeroedDoubles(1)
  private(set) var fDerivative = zeroedDoubles(1)
  /// Product form: per neighbour [component][filter] ∂G3[a]/∂d_ij.
  private(set) var jacobian = zeroedDoubles(1)
  private(set) var rhoDerivative = zeroedDoubles(1)
  /// ½ (φ′ + core′)(r) per neighbour.
  private(set) var pairDerivative = zeroedDoubles(1)
  // Per atom.
  let filters: UnsafeMutablePointer<Double>
  let weights: UnsafeMutablePointer<Double>
  let networkGradient: UnsafeMutablePointer<Double>
  /// Two-body spline values of one neighbour.
  let values: UnsafeMutablePointer<Double>
  /// g values and slopes outside the knot range, and the triplet sums of G3.
  let angularValues: UnsafeMutablePointer<Double>
  let angularDerivatives: UnsafeMutablePointer<Double>
  let tripletSums: UnsafeMutablePointer<Double>


  init(filterCount: Int, threeBodyStride: Int, fStride: Int, twoBodyCount: Int, jacobian: Bool) {
    self.threeBodyStride = threeBodyStride
    self.fStride = fStride
    self.twoBodyCount = twoBodyCount
    hasJacobian = jacobian
    filters = zeroedDoubles(filterCount)
    weights = zeroedDoubles(filterCount)
    networkGradient = zeroedDoubles(filterCount)
    values = zeroedDoubles(twoBodyCount)
    angularValues = zeroedDoubles(max(threeBodyStride, 4))
    angularDerivatives = zeroedDoubles(max(threeBodyStride, 4))
    tripletSums = zeroedDoubles(max(threeBodyStride, 4))
  }

  deinit {
    for p in [index, species, threeBody] { p.deallocate() }
    for p in [geometry, fValue, fDerivative, jacobian, rhoDerivative, pairDerivative] {
      p.deallocate()
    }
    for p in [
      filters, weights, networkGradient, values, angularValues, angularDerivatives, tripletSums,
    ] { p.deallocate() }
  }

  /// Makes room for `n` neighbours.
  func reserve(_ n: Int) {
    guard n > capacity else { return }
    capacity = max(n, 2 * capacity)
    for p in [index, species, threeBody] { p.deallocate() }
    for p in [geometry, fValue, fDerivative, jacobian, rhoDerivative, pairDerivative] {
      p.deallocate()
    }
    index = .allocate(capacity: capacity)
    species = .allocate(capacity: capacity)
    threeBody = .allocate(capacity: capacity)
    geometry = zeroedDoubles(8 * capacity)
    fValue = zeroedDoubles(fStride * capacity)
    fDerivative = zeroedDoubles(fStride * capacity)
    jacobian = zeroedDoubles(hasJacobian ? 3 * threeBodyStride * capacity : 1)
    rhoDerivative = zeroedDoubles(twoBodyCount * capacity)
    pairDerivative = zeroedDoubles(capacity)
  }
}

/// `max(n, 1)` doubles of fresh memory, all 0 (the kernel's and the fitter's scratch
/// buffers: SIMD padding lanes must start at zero). The caller deallocates.
package func zeroedDoubles(_ n: Int) -> UnsafeMutablePointer<Double> {
  let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
  p.initialize(repeating: 0, count: max(n, 1))
  return p
}
