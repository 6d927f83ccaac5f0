import SNNPCore

/// A training configuration with its periodic images and neighbour list built
/// once (positions do not change during a fit).
public final class PreparedStructure: @unchecked Sendable {
  /// Local atoms and their periodic images.
  public let atoms: AtomsWithImages
  /// Full neighbour list of the local atoms at the potential's cutoff.
  public let neighbors: NeighborList
  /// Reference total energy (eV).
  public let referenceEnergy: Double
  /// Reference forces, `3 × count` (eV/Å).
  public let referenceForces: [Double]
  /// Reference stress, 3×3 row-major, ASE sign (eV/Å³), if the frame has one.
  public let referenceStress: [Double]?
  /// Cell volume (Å³); 0 for non-periodic structures.
  public let volume: Double
  /// Per-structure loss weight (config_type weight).
  public let weight: Double
  /// Number of atoms of each element.
  public let elementCounts: [Int]
  /// Number of atoms.
  public var count: Int { atoms.localCount }

  /// Bytes held by this structure's arrays: image atoms (positions, species, owners),
  /// neighbour list (offsets, indices) and references; what a fit keeps per frame.
  public var byteCount: Int {
    let t = atoms.totalCount
    return t * (3 * MemoryLayout<Double>.size + MemoryLayout<Int32>.size + MemoryLayout<Int>.size)
      + neighbors.offsets.count * MemoryLayout<Int>.size
      + neighbors.indices.count * MemoryLayout<Int32>.size
      + (referenceForces.count + (referenceStress?.count ?? 0)) * MemoryLayout<Double>.size
      + elementCounts.count * MemoryLayout<Int>.size
  }

  /// Shortest distance (Å) between a local atom and any neighbour (infinity for none).
  public var closestApproach: Double {
    var best = Double.infinity
    let x = atoms.positions
    for i in 0..<atoms.localCount {
      for q in neighbors.offsets[i]..<neighbors.offsets[i + 1] {
        let j = Int(neighbors.indices[q])
        let dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1],
          dz = x[3 * j + 2] - x[3 * i + 2]
        best = min(best, (dx * dx + dy * dy + dz * dz).squareRoot())
      }
    }
    return best
  }

  /// Prepares `structure` for a potential with `cutoff` (Å) and `elementCount` elements.
  public init(
    _ structure: Structure, energy: Double, forces: [SIMD3<Double>], stress: [Double]? = nil,
    weight: Double = 1,
    cutoff: Double, elementCount: Int
  ) throws {
    atoms = try AtomsWithImages(structure, cutoff: cutoff)
    let a = atoms
    neighbors = a.positions.withUnsafeBufferPointer { xp in
      a.species.withUnsafeBufferPointer { sp in
        NeighborList.build(
          positions: xp.baseAddress!, species: sp.baseAddress!, localCount: a.localCount,
          totalCount: a.totalCount,
          cutoff: cutoff)
      }
    }
    let list = neighbors
    let problem = a.positions.withUnsafeBufferPointer { xp in
      list.plausibilityProblem(positions: xp.baseAddress!, owner: { a.owner[$0] })
    }
    if let problem { throw GeometryError(problem) }
    referenceEnergy = energy
    referenceForces = forces.flatMap { [$0.x, $0.y, $0.z] }
    let periodic = structure.pbc.allSatisfy { $0 }
    volume = periodic ? structure.volume : 0
    referenceStress = periodic ? stress : nil
    self.weight = weight
    var counts = [Int](repeating: 0, count: elementCount)
    for s in structure.species { counts[s] += 1 }
    elementCounts = counts
  }
}

/// Energy and forces of one structure as the fitter sees them.
public struct StructurePrediction: Sendable {
  /// Total energy (eV).
  public var energy: Double
  /// Forces on the local atoms, `3 × count` (eV/Å).
  public var forces: [Double]
  /// Stress σ = −W/V, 3×3 row-major, ASE sign (eV/Å³); nil for non-periodic structures.
  public var stress: [Double]?
  /// This structure's contribution to the energy loss and to the force loss.
  public var energyLoss: Double
  /// Force part of the loss.
  public var forceLoss: Double
  /// Stress part of the loss.
  public var stressLoss: Double = 0

  /// A prediction with no loss parts yet.
  public init(
    energy: Double, forces: [Double], stress: [Double]?, energyLoss: Double = 0,
    forceLoss: Double = 0
  ) {
    self.energy = energy
    self.forces = forces
    self.stress = stress
    self.energyLoss = energyLoss
    self.forceLoss = forceLoss
  }
}

extension Evaluator {
  /// Total energy (eV) and the filter vectors of the local atoms (`filterCount` per
  /// atom, row after row) of a prepared structure, reusing its neighbour list.
  public func energyAndFilters(_ s: PreparedStructure) -> (energy: Double, filters: [Double]) {
    let a = s.atoms
    var filters = [Double](repeating: 0, count: max(1, a.localCount * potential.filterCount))
    let energy = a.positions.withUnsafeBufferPointer { xp in
      a.species.withUnsafeBufferPointer { sp in
        filters.withUnsafeMutableBufferPointer { gp in
          var rq = Request(
            localCount: a.localCount, totalCount: a.totalCount, positions: xp.baseAddress!,
            species: sp.baseAddress!)
          rq.filters = gp.baseAddress
          return compute(rq, neighbors: s.neighbors)
        }
      }
    }
    return (energy, filters)
  }
}

/// Loss and analytic gradient of the training loss for one potential, one
/// structure at a time (DESIGN.md §4). Energies and forces come from the one
/// kernel (``Evaluator``); this class adds the three further passes: Ġ = (∂G/∂R)·u
/// from the recorded Jacobians, the network's forward-over-reverse sweep, and the
/// spline-coefficient gradients over pairs and triplets.
///
/// One worker per thread.
public final class GradientWorker: AtomRecorder {
  /// The parameter layout.
  public let layout: ParameterLayout
  /// The current potential.
  public private(set) var potential: Potential
  var evaluator: Evaluator
  let dual = MLPDualScratch()

  // Recorded per-atom data of the current structure.
  var atomStart: [Int] = []
  var atomNeighbors: [Int] = []
  var atomSpecies: [Int] = []
  var nbIndex: [Int32] = []
  var nbSpecies: [Int32] = []
  var nbGeometry: [Double] = []
  var nbJacobian: [Double] = []
  var nbRho: [Double] = []
  var atomFilters: [Double] = []
  var atomWeights: [Double] = []

  /// When set, the f, g and ρ coefficient gradients are not computed (they stay 0):
  /// a frozen-filter fit (`freeze_filters`) skips the triplet pass of the backward
  /// sweep. Network, bias and pair-term gradients are unchanged.
  public var filtersFrozen = false
  /// When set, the stress loss sees only the traceless part of the stress residual
  /// (`stress_loss: deviatoric`): a constant pressure offset between the data's stresses
  /// and its energies (a Pulay stress) then leaves the fit alone.
  public var deviatoricStress = false
  /// The tensor-product three-body part of the backward sweep (nil for the product form).
  var tensor: TensorBackward?
  /// The four-body moment part of the backward sweep (nil without four-body filters).
  var moments: MomentBackward?

  // Coefficient-space gradients, one buffer per bank (raw memory: the triplet loop adds
  // to them once per triplet, where an array's access checks would cost measurable time).
  var fGradient: [CoefficientGradient] = []
  var gGradient: [CoefficientGradient] = []
  var rhoGradient: [CoefficientGradient] = []
  var hGradient: [CoefficientGradient] = []
  var pairGradient: [CoefficientGradient] = []

  /// Creates a worker at parameters θ.
  public init(layout: ParameterLayout, parameters theta: [Double]) {
    self.layout = layout
    potential = layout.potential(from: theta)
    evaluator = Evaluator(potential)
    tensor = evaluator.basis.map(TensorBackward.init)
    let splines = potential.fourBodySplines
    moments = splines > 0 ? MomentBackward(radial: splines) : nil
    resetCoefficientGradients()
  }

  /// Moves the worker to new parameters.
  public func update(_ theta: [Double]) {
    potential = layout.potential(from: theta)
    evaluator = Evaluator(potential)
  }

  func resetCoefficientGradients() {
    func zeroed(_ buffers: [CoefficientGradient], _ tables: [SplineTable]) -> [CoefficientGradient]
    {
      guard buffers.map(\.count) == tables.map(\.gradientSize) else {
        return tables.map { CoefficientGradient($0.gradientSize) }
      }
      for b in buffers { b.pointer.update(repeating: 0, count: b.count) }
      return buffers
    }
    fGradient = zeroed(fGradient, evaluator.fTables)
    gGradient = zeroed(gGradient, evaluator.gTables)
    rhoGradient = zeroed(rhoGradient, evaluator.rhoTables)
    hGradient = zeroed(hGradient, evaluator.hTables)
    pairGradient = zeroed(pairGradient, evaluator.pairTables ?? [])
  }

  public func record(_ r: AtomRecord) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let nf = potential.filterCount
    atomStart.append(nbIndex.count)
    atomNeighbors.append(r.neighborCount)
    atomSpecies.append(r.species)
    for n in 0..<r.neighborCount {
      nbIndex.append(r.neighbors[n])
      nbSpecies.append(r.neighborSpecies[n])
      for c in 0..<8 { nbGeometry.append(r.geometry[8 * n + c]) }
      if n3 > 0 && tensor == nil {
        let stride = r.jacobianStride
        for c in 0..<3 {
          for a in 0..<n3 { nbJacobian.append(r.jacobian![3 * stride * n + c * stride + a]) }
        }
      }
      if n2 > 0 { for c in 0..<n2 { nbRho.append(r.rhoDerivatives![n2 * n + c]) } }
    }
    for a in 0..<nf {
      atomFilters.append(r.filters![a])
      atomWeights.append(r.weights![a])
    }
  }

  /// Energy and forces of `s` (no gradient).
  public func predict(_ s: PreparedStructure) -> StructurePrediction {
    run(s, record: false)
  }

  func run(_ s: PreparedStructure, record: Bool) -> StructurePrediction {
    atomStart.removeAll(keepingCapacity: true)
    atomNeighbors.removeAll(keepingCapacity: true)
    atomSpecies.removeAll(keepingCapacity: true)
    nbIndex.removeAll(keepingCapacity: true)
    nbSpecies.removeAll(keepingCapacity: true)
    nbGeometry.removeAll(keepingCapacity: true)
    nbJacobian.removeAll(keepingCapacity: true)
    nbRho.removeAll(keepingCapacity: true)
    atomFilters.removeAll(keepingCapacity: true)
    atomWeights.removeAll(keepingCapacity: true)
    let a = s.atoms
    var forces = [Double](repeating: 0, count: 3 * a.totalCount)
    var virial = [Double](repeating: 0, count: 6)
    let energy = a.positions.withUnsafeBufferPointer { xp in
      a.species.withUnsafeBufferPointer { sp in
        forces.withUnsafeMutableBufferPointer { fp in
          virial.withUnsafeMutableBufferPointer { vp in
            var rq = Evaluator.Request(
              localCount: a.localCount, totalCount: a.totalCount, positions: xp.baseAddress!,
              species: sp.baseAddress!)
            rq.forces = fp.baseAddress
            rq.virial = vp.baseAddress
            rq.recorder = record ? self : nil
            return evaluator.compute(rq, neighbors: s.neighbors)
          }
        }
      }
    }
    var local = [Double](repeating: 0, count: 3 * a.localCount)
    for k in 0..<a.totalCount {
      let o = a.owner[k]
      local[3 * o] += forces[3 * k]
      local[3 * o + 1] += forces[3 * k + 1]
      local[3 * o + 2] += forces[3 * k + 2]
    }
    let stress = s.volume > 0 ? GradientWorker.stress(virial: virial, volume: s.volume) : nil
    return StructurePrediction(
      energy: energy, forces: local, stress: stress, energyLoss: 0, forceLoss: 0)
  }

  /// σ = −W/V (3×3 row-major, ASE sign, eV/Å³) of the virial W (xx yy zz xy xz yz, eV).
  static func stress(virial v: [Double], volume: Double) -> [Double] {
    [v[0], v[3], v[4], v[3], v[1], v[5], v[4], v[5], v[2]].map { -$0 / volume }
  }

  /// Adds the gradient of L_s = cE·((E − Ê)/N)² + cF·Σ_j |F_j − F̂_j|² + cS·Σ_ab (σ_ab − σ̂_ab)²
  /// (the stress term only when cS > 0 and the frame has a reference stress) to the
  /// θ-gradient (spline parts are kept in coefficient space until ``flush(into:)``).
  /// - Returns: the prediction with the two loss parts.
  public func accumulate(
    _ s: PreparedStructure, energyCoefficient cE: Double, forceCoefficient cF: Double,
    stressCoefficient cS: Double = 0, gradient: UnsafeMutablePointer<Double>
  ) -> StructurePrediction {
    // A committee is trained one head at a time (Trainer), each as a single-head model.
    precondition(potential.headCount == 1, "accumulate needs a single-head potential")
    var p = run(s, record: true)
    let seeds = lossSeeds(s, &p, energyCoefficient: cE, forceCoefficient: cF, stressCoefficient: cS)
    backward(
      s, energySeed: seeds.energy, forceSeeds: seeds.forces, strainSeed: seeds.strain,
      gradient: gradient)
    return p
  }

  /// Writes the loss parts of L_s (see ``accumulate(_:energyCoefficient:forceCoefficient:stressCoefficient:gradient:)``)
  /// into the prediction `p` of `s` and returns the seeds of the backward sweep.
  func lossSeeds(
    _ s: PreparedStructure, _ p: inout StructurePrediction, energyCoefficient cE: Double,
    forceCoefficient cF: Double, stressCoefficient cS: Double
  ) -> LossSeeds {
    let n = Double(s.count)
    let dE = p.energy - s.referenceEnergy
    p.energyLoss = cE * (dE / n) * (dE / n)
    var seeds = LossSeeds(
      energy: 2 * cE * dE / (n * n), forces: [Double](repeating: 0, count: 3 * s.count),
      strain: [Double](repeating: 0, count: 9))
    var fl = 0.0
    for k in 0..<(3 * s.count) {
      let d = p.forces[k] - s.referenceForces[k]
      fl += d * d
      seeds.forces[k] = 2 * cF * d
    }
    p.forceLoss = cF * fl
    // Stress: σ = −W/V and W_ab = −Σ_pairs d_a ∂E/∂d_b, so the stress residual acts
    // like an affine displacement field added to the force seeds: δ_n += Vᵀ d_n with
    // V_ab = ∂L/∂W_ab = −2 cS (σ_ab − σ̂_ab) / volume.
    if cS > 0, let reference = s.referenceStress, let predicted = p.stress {
      var sl = 0.0
      for (k, d) in stressResidual(predicted, reference).enumerated() {
        sl += d * d
        seeds.strain[k] = -2 * cS * d / s.volume
      }
      p.stressLoss = cS * sl
    }
    return seeds
  }

  /// The stress residual the loss squares (3×3, row-major): predicted − reference, or
  /// its traceless part with ``deviatoricStress``. The traceless projection is symmetric
  /// and idempotent, so the loss gradient is the same expression in the projected residual.
  func stressResidual(_ predicted: [Double], _ reference: [Double]) -> [Double] {
    var d = (0..<9).map { predicted[$0] - reference[$0] }
    if deviatoricStress {
      let mean = (d[0] + d[4] + d[8]) / 3
      for k in [0, 4, 8] { d[k] -= mean }
    }
    return d
  }

  /// Maps the accumulated spline coefficient gradients to θ and clears them.
  public func flush(into gradient: UnsafeMutablePointer<Double>) {
    var next: [ParameterLayout.Role: Int] = [:]
    for slot in layout.banks {
      let k = next[slot.role, default: 0]
      next[slot.role] = k + 1
      let coefficients: CoefficientGradient
      switch slot.role {
      case .f: coefficients = fGradient[k]
      case .g: coefficients = gGradient[k]
      case .rho: coefficients = rhoGradient[k]
      case .h: coefficients = hGradient[k]
      case .pair: coefficients = pairGradient[k]
      }
      layout.addParameterGradient(slot, coefficients: coefficients.pointer, into: gradient)
    }
    resetCoefficientGradients()
  }

  func backward(
    _ s: PreparedStructure, energySeed e: Double, forceSeeds u: [Double], strainSeed sv: [Double],
    gradient: UnsafeMutablePointer<Double>
  ) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let nf = potential.filterCount
    let ne = evaluator.elementCount
    let owner = s.atoms.owner
    let skip = potential.skipConnection ? 1.0 : 0.0
    let (fBuffers, gBuffers) = (fGradient, gGradient)
    var v = [Double](repeating: 0, count: max(nf, 1))
    var alpha = v
    var beta = v
    var scratchV = [Double](repeating: 0, count: max(n3, n2, 1))
    var scratchD = scratchV
    var maxNeighbors = 0
    for c in atomNeighbors { maxNeighbors = max(maxNeighbors, c) }
    var delta = [Double](repeating: 0, count: 3 * max(maxNeighbors, 1))
    var rDot = [Double](repeating: 0, count: max(maxNeighbors, 1))
    var rhoSlope = [Double](repeating: 0, count: max(n2, 1) * max(maxNeighbors, 1))
    // Three-body scratch, per neighbour or per filter, with the filter stride padded to a
    // multiple of 4 so the triplet loop runs on SIMD4 vectors as the forward kernel does
    // (padding lanes stay zero, so they add nothing).
    let n3p = (n3 + 3) & ~3
    let rows = max(maxNeighbors, 1)
    let scratchSize = 4 * n3p * rows + 6 * max(n3p, 4)
    let scratch3 = zeroedDoubles(scratchSize)
    defer { scratch3.deallocate() }
    let fvP = scratch3
    let fdP = fvP + n3p * rows
    let xvP = fdP + n3p * rows
    let xdP = xvP + n3p * rows
    let zvP = xdP + n3p * rows
    let zdP = zvP + max(n3p, 4)
    let gvP = zdP + max(n3p, 4)
    let gdP = gvP + max(n3p, 4)
    let alP = gdP + max(n3p, 4)
    let beP = alP + max(n3p, 4)
    let chunks = n3p / 4
    var threeBody: [Int] = []
    for atomIndex in 0..<atomStart.count {
      let start = atomStart[atomIndex]
      let nn = atomNeighbors[atomIndex]
      let ci = atomSpecies[atomIndex]
      // The recorded atoms are the local atoms in order (all have species >= 0).
      let i = atomIndex
      displacements(i, owner: owner, forceSeeds: u, strainSeed: sv, delta: &delta, rDot: &rDot)
      // Ġ_i.
      for a in 0..<nf { v[a] = 0 }
      tensor?.prepare(self, start: start, nn: nn, delta: delta, rDot: rDot, tangent: &v)
      moments?.prepare(
        self, start: start, nn: nn, delta: delta, rDot: rDot, offset: n3 + n2, tangent: &v)
      addRecordedTangent(i, delta: delta, rDot: rDot, to: &v)
      // Network: α = e·w − H·Ġ and the network parameter gradient; β = −w.
      for a in 0..<nf {
        alpha[a] = e * skip
        beta[a] = -atomWeights[nf * atomIndex + a]
      }
      gradient[layout.biasOffset + ci] += e
      if case .network(let net) = potential.regressors[ci], let offset = layout.networkOffsets[ci] {
        networkSweep(
          net, atom: atomIndex, tangent: v, energySeed: e, alpha: &alpha, gradient: gradient + offset)
      }
      // Pair term and two-body filters.
      for q in 0..<nn {
        for b in 0..<n2 { rhoSlope[n2 * q + b] = beta[n3 + b] * rDot[q] }
      }
      twoBodyGradients(
        atomIndex, energySeed: e, rDot: rDot, alpha: alpha, rhoSlopes: rhoSlope,
        scratch: &scratchV, &scratchD)
      if let moments, !filtersFrozen {
        moments.accumulate(
          self, start: start, delta: delta, rDot: rDot, offset: n3 + n2, alpha: alpha, beta: beta)
      }
      // Three-body filters.
      guard n3 > 0 && !filtersFrozen else { continue }
      if let tensor {
        tensor.accumulate(self, start: start, rDot: rDot, alpha: alpha, beta: beta)
        continue
      }
      threeBodyRows(atomIndex, stride: n3p, f: fvP, fPrime: fdP, seeds: xvP, slopeSeeds: xdP, into: &threeBody)
      for a in 0..<n3 {
        alP[a] = alpha[a]
        beP[a] = beta[a]
      }
      if threeBody.count > 1 {
        for p in 0..<(threeBody.count - 1) {
          let j = threeBody[p]
          let gj = 8 * (start + j)
          let ej = SIMD3(nbGeometry[gj + 5], nbGeometry[gj + 6], nbGeometry[gj + 7])
          let invrj = nbGeometry[gj + 4]
          let dj = SIMD3(delta[3 * j], delta[3 * j + 1], delta[3 * j + 2])
          let cj = Int(nbSpecies[start + j])
          let rj = rDot[j]
          let fvj = fvP + n3p * j
          let fdj = fdP + n3p * j
          let xvj = xvP + n3p * j
          let xdj = xdP + n3p * j
          for q in (p + 1)..<threeBody.count {
            let k = threeBody[q]
            let gk = 8 * (start + k)
            let ek = SIMD3(nbGeometry[gk + 5], nbGeometry[gk + 6], nbGeometry[gk + 7])
            let invrk = nbGeometry[gk + 4]
            let dk = SIMD3(delta[3 * k], delta[3 * k + 1], delta[3 * k + 2])
            let cosine = dot(ej, ek)
            let cDot = dot(ek - cosine * ej, dj) * invrj + dot(ej - cosine * ek, dk) * invrk
            let pi = evaluator.gLookup[cj * ne + Int(nbSpecies[start + k])]
            let table = evaluator.gTables[pi]
            // g and g' of every filter from one interval lookup, read inside the vector
            // loop as in the forward kernel.
            let g = table.point(cosine, values: gvP, derivatives: gdP)
            let rk = rDot[k]
            let fvk = fvP + n3p * k
            let fdk = fdP + n3p * k
            let xvk = xvP + n3p * k
            let xdk = xdP + n3p * k
            // The same operations per filter as the scalar form, four filters at a time.
            for c in 0..<chunks {
              let o = 4 * c
              let fj = load4(fvj + o)
              let fk = load4(fvk + o)
              let fdjv = load4(fdj + o)
              let fdkv = load4(fdk + o)
              let (ga, gda) = g.four(o)
              let al = load4(alP + o)
              let be = load4(beP + o)
              store4(
                xvj + o, load4(xvj + o) + (al * fk * ga + be * (fdkv * rk * ga + fk * gda * cDot)))
              store4(xdj + o, load4(xdj + o) + be * rj * fk * ga)
              store4(
                xvk + o, load4(xvk + o) + (al * fj * ga + be * (fdjv * rj * ga + fj * gda * cDot)))
              store4(xdk + o, load4(xdk + o) + be * rk * fj * ga)
              store4(zvP + o, al * fj * fk + be * (fdjv * rj * fk + fj * fdkv * rk))
              store4(zdP + o, be * fj * fk * cDot)
            }
            table.accumulateGradient(
              cosine, valueSeeds: zvP, slopeSeeds: zdP, into: gBuffers[pi].pointer)
          }
        }
      }
      flushThreeBodyRows(atomIndex, threeBody, stride: n3p, seeds: xvP, slopeSeeds: xdP, into: fBuffers)
    }
  }

  /// The pair-term and two-body-filter coefficient gradients of atom i's pairs: pair
  /// seeds ½e and −½ṙ_q, ρ seeds α_b (value) and `rhoSlopes[n2·q + b]` (slope, β_b ṙ_q
  /// summed over heads for a committee). `scratch` holds max(N3, N2, 1) values each.
  func twoBodyGradients(
    _ i: Int, energySeed e: Double, rDot: [Double], alpha: [Double], rhoSlopes: [Double],
    scratch scratchV: inout [Double], _ scratchD: inout [Double]
  ) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let ne = evaluator.elementCount
    let start = atomStart[i]
    let ci = atomSpecies[i]
    for q in 0..<atomNeighbors[i] {
      let r = nbGeometry[8 * (start + q) + 3]
      let cj = Int(nbSpecies[start + q])
      if let pairTables = evaluator.pairTables {
        let pi = evaluator.pairLookup[ci * ne + cj]
        let t = pairTables[pi]
        if r < t.cutoff {
          scratchV[0] = 0.5 * e
          scratchD[0] = -0.5 * rDot[q]
          t.accumulateGradient(
            r, valueSeeds: scratchV, slopeSeeds: scratchD, into: pairGradient[pi].pointer)
        }
      }
      if n2 > 0 && !filtersFrozen {
        let rb = evaluator.rhoLookup[cj]
        let t = evaluator.rhoTables[rb]
        if r < t.cutoff {
          for b in 0..<n2 {
            scratchV[b] = alpha[n3 + b]
            scratchD[b] = rhoSlopes[n2 * q + b]
          }
          t.accumulateGradient(
            r, valueSeeds: scratchV, slopeSeeds: scratchD, into: rhoGradient[rb].pointer)
        }
      }
    }
  }

  /// The displacement field of the loss seeds seen from atom i: per neighbour q,
  /// δ_q = u_j − u_i + Vᵀ d_q (force seeds u, strain seed V) and ṙ_q = ê_q · δ_q.
  func displacements(
    _ i: Int, owner: [Int], forceSeeds u: [Double], strainSeed sv: [Double], delta: inout [Double],
    rDot: inout [Double]
  ) {
    let start = atomStart[i]
    let ui = SIMD3(u[3 * i], u[3 * i + 1], u[3 * i + 2])
    for q in 0..<atomNeighbors[i] {
      let j = owner[Int(nbIndex[start + q])]
      let g = 8 * (start + q)
      let dn = SIMD3(nbGeometry[g], nbGeometry[g + 1], nbGeometry[g + 2])
      let d =
        SIMD3(u[3 * j], u[3 * j + 1], u[3 * j + 2]) - ui
        + SIMD3(
          sv[0] * dn.x + sv[3] * dn.y + sv[6] * dn.z, sv[1] * dn.x + sv[4] * dn.y + sv[7] * dn.z,
          sv[2] * dn.x + sv[5] * dn.y + sv[8] * dn.z)
      delta[3 * q] = d.x
      delta[3 * q + 1] = d.y
      delta[3 * q + 2] = d.z
      rDot[q] = nbGeometry[g + 5] * d.x + nbGeometry[g + 6] * d.y + nbGeometry[g + 7] * d.z
    }
  }

  /// Adds to Ġ_i (`v`) the parts from the recorded Jacobians: product-form three-body
  /// filters (not the tensor form's, which ``TensorBackward`` adds) and two-body filters.
  func addRecordedTangent(_ i: Int, delta: [Double], rDot: [Double], to v: inout [Double]) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let start = atomStart[i]
    for q in 0..<atomNeighbors[i] {
      if n3 > 0 && tensor == nil {
        let jb = 3 * n3 * (start + q)
        for a in 0..<n3 {
          v[a] +=
            nbJacobian[jb + a] * delta[3 * q] + nbJacobian[jb + n3 + a] * delta[3 * q + 1]
            + nbJacobian[jb + 2 * n3 + a] * delta[3 * q + 2]
        }
      }
      if n2 > 0 {
        for b in 0..<n2 { v[n3 + b] += nbRho[n2 * (start + q) + b] * rDot[q] }
      }
    }
  }

  /// The network's forward-over-reverse sweep for atom i with tangent Ġ_i = `v` and
  /// energy seed e: adds the parameter gradient at `gradient` (the network's offset) and
  /// −H·Ġ (plus the softplus terms) to α.
  func networkSweep(
    _ net: MLP, atom i: Int, tangent v: [Double], energySeed e: Double, alpha: inout [Double],
    gradient: UnsafeMutablePointer<Double>
  ) {
    let nf = potential.filterCount
    atomFilters.withUnsafeBufferPointer { gp in
      v.withUnsafeBufferPointer { vp in
        alpha.withUnsafeMutableBufferPointer { ap in
          let x = gp.baseAddress! + nf * i
          let (z, zDot) = net.dualGradient(
            input: x, tangent: vp.baseAddress!, valueSeed: 0, tangentSeed: 0,
            parameterGradient: nil,
            inputGradient: nil, scratch: dual)
          var s1 = 1.0
          var s2 = 0.0
          if potential.softplusOutput {
            s1 = sigmoid(z)
            s2 = s1 * (1 - s1)
          }
          net.dualGradient(
            input: x, tangent: vp.baseAddress!, valueSeed: e * s1 - s2 * zDot, tangentSeed: -s1,
            parameterGradient: gradient, inputGradient: ap.baseAddress!, scratch: dual)
        }
      }
    }
  }

  /// The neighbours of atom i inside their f cutoff (into `threeBody`), with f and f′ of
  /// every filter in row q of `f`, `fPrime` and the row's coefficient seeds zeroed.
  func threeBodyRows(
    _ i: Int, stride n3p: Int, f fvP: UnsafeMutablePointer<Double>,
    fPrime fdP: UnsafeMutablePointer<Double>, seeds xvP: UnsafeMutablePointer<Double>,
    slopeSeeds xdP: UnsafeMutablePointer<Double>, into threeBody: inout [Int]
  ) {
    let start = atomStart[i]
    threeBody.removeAll(keepingCapacity: true)
    for q in 0..<atomNeighbors[i] {
      let r = nbGeometry[8 * (start + q) + 3]
      let t = evaluator.fTables[evaluator.fLookup[Int(nbSpecies[start + q])]]
      if r < t.cutoff {
        threeBody.append(q)
        t.evaluate(r, values: fvP + n3p * q, derivatives: fdP + n3p * q)
        for a in 0..<n3p {
          xvP[n3p * q + a] = 0
          xdP[n3p * q + a] = 0
        }
      }
    }
  }

  /// Adds the f seeds of each row of ``threeBodyRows(_:stride:f:fPrime:seeds:slopeSeeds:into:)``
  /// to the f banks' coefficient gradients.
  func flushThreeBodyRows(
    _ i: Int, _ threeBody: [Int], stride n3p: Int, seeds xvP: UnsafeMutablePointer<Double>,
    slopeSeeds xdP: UnsafeMutablePointer<Double>, into fBuffers: [CoefficientGradient]
  ) {
    let start = atomStart[i]
    for q in threeBody {
      let r = nbGeometry[8 * (start + q) + 3]
      let cq = evaluator.fLookup[Int(nbSpecies[start + q])]
      evaluator.fTables[cq].accumulateGradient(
        r, valueSeeds: xvP + n3p * q, slopeSeeds: xdP + n3p * q, into: fBuffers[cq].pointer)
    }
  }
}

/// A spline bank's coefficient-space gradient (``SplineTable/gradientSize`` values) in raw
/// memory, zeroed at creation.
final class CoefficientGradient {
  let pointer: UnsafeMutablePointer<Double>
  let count: Int

  init(_ count: Int) {
    self.count = count
    pointer = zeroedDoubles(count)
  }

  deinit { pointer.deallocate() }
}

/// The seeds of one backward sweep: ∂L/∂E, ∂L/∂F (3 per local atom, eV/Å) and the strain
/// seed V = ∂L/∂W (3×3, row-major).
struct LossSeeds {
  var energy: Double
  var forces: [Double]
  var strain: [Double]
}
