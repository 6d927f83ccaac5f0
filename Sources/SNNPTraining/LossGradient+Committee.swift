import SNNPCore

/// The loss gradient of a committee of K network heads on one set of product-form
/// filters, with ONE forward pass and ONE backward pass through the filters.
///
/// The committee's loss is the mean of its heads' losses, L = (1/K) Σ_h L_h, each head
/// seeing its own energies, forces and stress. Everything the heads share is computed
/// once: the forward kernel records G_i, the Jacobians ∂G_i/∂d_ij and ρ′ for the mean
/// model; each head's forces follow from its own weights w_h = ∂E_h/∂G through those
/// Jacobians (cheap: pairs, not triplets). In the backward sweep the spline-coefficient
/// seeds are linear in the heads' α_h and bilinear in β_h = −w_h and the heads' force
/// residuals δ_h, so they are summed over heads before the triplet loop:
/// B_ja = Σ_h β_ha ṙ_hj and D_ja = Σ_h β_ha δ_hj (3-vectors) per neighbour and filter.
/// A committee epoch then costs about one head's, not K (docs/uncertainty.md).
extension GradientWorker {
  /// Whether ``accumulateCommittee(_:energyCoefficient:forceCoefficient:stressCoefficient:gradient:)``
  /// can train this worker's potential: a committee of product-form filters.
  public var sharesCommitteePasses: Bool {
    potential.headCount > 1 && potential.threeBodyBasis == nil && potential.fourBodySplines == 0
  }

  /// Adds the gradient of (1/K) Σ_h L_s,h (the per-head loss of
  /// ``accumulate(_:energyCoefficient:forceCoefficient:stressCoefficient:gradient:)``)
  /// to the θ-gradient of the committee layout; `headWeights` (one per head, e.g. a
  /// bootstrap count) multiply each head's loss of this structure.
  /// - Returns: each head's prediction with its loss parts (weighted).
  public func accumulateCommittee(
    _ s: PreparedStructure, energyCoefficient cE: Double, forceCoefficient cF: Double,
    stressCoefficient cS: Double = 0, headWeights m: [Double]? = nil,
    gradient: UnsafeMutablePointer<Double>
  ) -> [StructurePrediction] {
    precondition(sharesCommitteePasses, "accumulateCommittee needs a product-form committee")
    let mean = run(s, record: true)
    let heads = headPredictions(s, mean: mean)
    let k = Double(heads.weights.count)
    var predictions: [StructurePrediction] = []
    var seeds: [LossSeeds] = []
    for (h, var p) in heads.predictions.enumerated() {
      let m = m?[h] ?? 1
      var l = lossSeeds(
        s, &p, energyCoefficient: m * cE, forceCoefficient: m * cF, stressCoefficient: m * cS)
      // The committee's loss is the mean of its heads'.
      l.energy /= k
      for c in l.forces.indices { l.forces[c] /= k }
      for c in l.strain.indices { l.strain[c] /= k }
      seeds.append(l)
      predictions.append(p)
    }
    committeeBackward(s, seeds, headWeights: heads.weights, gradient: gradient)
    return predictions
  }

  /// Each head's energy, forces and stress from the recorded forward pass of the mean
  /// model, and each head's weights w_h = ∂E_h/∂G per atom (`nf` per atom).
  func headPredictions(_ s: PreparedStructure, mean: StructurePrediction) -> (
    predictions: [StructurePrediction], weights: [[Double]]
  ) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let nf = n3 + n2
    let atoms = atomStart.count
    let k = potential.headCount
    let skip = potential.skipConnection ? 1.0 : 0.0
    var weights = [[Double]](repeating: [Double](repeating: 0, count: atoms * nf), count: k)
    var atomEnergy = [[Double]](repeating: [Double](repeating: 0, count: atoms), count: k)
    let tangent = [Double](repeating: 0, count: nf)
    var gradientOfZ = [Double](repeating: 0, count: nf)
    for i in 0..<atoms {
      let nets = potential.regressors[atomSpecies[i]].networks
      for (h, net) in nets.enumerated() {
        for a in 0..<nf { gradientOfZ[a] = 0 }
        let z = atomFilters.withUnsafeBufferPointer { gp in
          gradientOfZ.withUnsafeMutableBufferPointer { dz in
            net.dualGradient(
              input: gp.baseAddress! + nf * i, tangent: tangent, valueSeed: 1, tangentSeed: 0,
              parameterGradient: nil, inputGradient: dz.baseAddress!, scratch: dual
            ).value
          }
        }
        var scale = 1.0
        atomEnergy[h][i] = z
        if potential.softplusOutput {
          atomEnergy[h][i] = softplus(z)
          scale = sigmoid(z)
        }
        for a in 0..<nf { weights[h][nf * i + a] = skip + scale * gradientOfZ[a] }
      }
    }
    let meanEnergy = (0..<atoms).map { i in (0..<k).reduce(0.0) { $0 + atomEnergy[$1][i] } / Double(k) }
    let owner = s.atoms.owner
    var predictions: [StructurePrediction] = []
    for h in 0..<k {
      var p = mean
      var virial = [Double](repeating: 0, count: 6)
      for i in 0..<atoms {
        p.energy += atomEnergy[h][i] - meanEnergy[i]
        // Δw = w_h − w̄: this head's forces are the mean model's plus Δw through the Jacobians.
        let dw = (0..<nf).map { weights[h][nf * i + $0] - atomWeights[nf * i + $0] }
        let start = atomStart[i]
        for q in 0..<atomNeighbors[i] {
          let geometry = 8 * (start + q)
          var g = SIMD3<Double>(repeating: 0)
          if n3 > 0 {
            let jb = 3 * n3 * (start + q)
            for a in 0..<n3 {
              g += dw[a] * SIMD3(nbJacobian[jb + a], nbJacobian[jb + n3 + a], nbJacobian[jb + 2 * n3 + a])
            }
          }
          if n2 > 0 {
            var radial = 0.0
            for b in 0..<n2 { radial += dw[n3 + b] * nbRho[n2 * (start + q) + b] }
            g += radial * SIMD3(nbGeometry[geometry + 5], nbGeometry[geometry + 6], nbGeometry[geometry + 7])
          }
          let j = owner[Int(nbIndex[start + q])]
          for c in 0..<3 {
            p.forces[3 * i + c] += g[c]
            p.forces[3 * j + c] -= g[c]
          }
          let d = SIMD3(nbGeometry[geometry], nbGeometry[geometry + 1], nbGeometry[geometry + 2])
          virial[0] -= d.x * g.x
          virial[1] -= d.y * g.y
          virial[2] -= d.z * g.z
          virial[3] -= d.x * g.y
          virial[4] -= d.x * g.z
          virial[5] -= d.y * g.z
        }
      }
      if var stress = p.stress {
        let delta = GradientWorker.stress(virial: virial, volume: s.volume)
        for c in 0..<9 { stress[c] += delta[c] }
        p.stress = stress
      }
      predictions.append(p)
    }
    return (predictions, weights)
  }

  /// The backward sweep of ``accumulateCommittee(_:energyCoefficient:forceCoefficient:stressCoefficient:gradient:)``:
  /// per atom each head's Ġ and network sweep, then one pass over pairs and triplets with
  /// the heads' seeds summed.
  func committeeBackward(
    _ s: PreparedStructure, _ seeds: [LossSeeds], headWeights: [[Double]],
    gradient: UnsafeMutablePointer<Double>
  ) {
    let n3 = evaluator.n3
    let n2 = evaluator.n2
    let nf = n3 + n2
    let ne = evaluator.elementCount
    let owner = s.atoms.owner
    let skip = potential.skipConnection ? 1.0 : 0.0
    let k = headWeights.count
    var maxNeighbors = 1
    for c in atomNeighbors { maxNeighbors = max(maxNeighbors, c) }
    var v = [Double](repeating: 0, count: max(nf, 1))
    var alpha = v
    var alphaSum = v
    var delta = [Double](repeating: 0, count: 3 * maxNeighbors)
    var rDot = [Double](repeating: 0, count: maxNeighbors)
    var rDotSum = rDot
    var rhoSlope = [Double](repeating: 0, count: max(n2, 1) * maxNeighbors)
    var scratchV = [Double](repeating: 0, count: max(n3, n2, 1))
    var scratchD = scratchV
    // Per neighbour and filter (stride padded to 4, padding lanes zero): f, f′, the
    // f-coefficient seeds, and B, Dx, Dy, Dz; then per filter ḡ, ḡ′, α, z seeds.
    let n3p = (n3 + 3) & ~3
    let rows = maxNeighbors
    let scratch3 = zeroedDoubles(8 * n3p * rows + 6 * max(n3p, 4))
    defer { scratch3.deallocate() }
    let fvP = scratch3
    let fdP = fvP + n3p * rows
    let xvP = fdP + n3p * rows
    let xdP = xvP + n3p * rows
    let bP = xdP + n3p * rows
    let dxP = bP + n3p * rows
    let dyP = dxP + n3p * rows
    let dzP = dyP + n3p * rows
    let zvP = dzP + n3p * rows
    let zdP = zvP + max(n3p, 4)
    let gvP = zdP + max(n3p, 4)
    let gdP = gvP + max(n3p, 4)
    let alP = gdP + max(n3p, 4)
    let chunks = n3p / 4
    var threeBody: [Int] = []
    for i in 0..<atomStart.count {
      let start = atomStart[i]
      let nn = atomNeighbors[i]
      let ci = atomSpecies[i]
      let nets = potential.regressors[ci].networks
      var eSum = 0.0
      for a in 0..<nf { alphaSum[a] = 0 }
      for q in 0..<nn { rDotSum[q] = 0 }
      for x in 0..<(n2 * nn) { rhoSlope[x] = 0 }
      for block in [bP, dxP, dyP, dzP] { block.update(repeating: 0, count: n3p * nn) }
      for h in 0..<k {
        let e = seeds[h].energy
        displacements(
          i, owner: owner, forceSeeds: seeds[h].forces, strainSeed: seeds[h].strain, delta: &delta,
          rDot: &rDot)
        // Ġ_h of atom i.
        for a in 0..<nf { v[a] = 0 }
        addRecordedTangent(i, delta: delta, rDot: rDot, to: &v)
        // Head h's network: α_h = e_h·w − H_h·Ġ_h and its parameter gradient; β_h = −w_h.
        for a in 0..<nf { alpha[a] = e * skip }
        gradient[layout.biasOffset + ci] += e
        networkSweep(
          nets[h], atom: i, tangent: v, energySeed: e, alpha: &alpha,
          gradient: gradient + layout.headOffsets[ci][h])
        // The heads' seeds, summed.
        eSum += e
        for a in 0..<nf { alphaSum[a] += alpha[a] }
        let w = headWeights[h]
        for q in 0..<nn {
          rDotSum[q] += rDot[q]
          for b in 0..<n2 { rhoSlope[n2 * q + b] -= w[nf * i + n3 + b] * rDot[q] }
          for a in 0..<n3 {
            let beta = -w[nf * i + a]
            bP[n3p * q + a] += beta * rDot[q]
            dxP[n3p * q + a] += beta * delta[3 * q]
            dyP[n3p * q + a] += beta * delta[3 * q + 1]
            dzP[n3p * q + a] += beta * delta[3 * q + 2]
          }
        }
      }
      // Pair term and two-body filters.
      twoBodyGradients(
        i, energySeed: eSum, rDot: rDotSum, alpha: alphaSum, rhoSlopes: rhoSlope,
        scratch: &scratchV, &scratchD)
      // Three-body filters: the product-form triplet loop with per-filter B and D in
      // place of one head's β·ṙ and β·δ.
      guard n3 > 0 && !filtersFrozen else { continue }
      threeBodyRows(i, stride: n3p, f: fvP, fPrime: fdP, seeds: xvP, slopeSeeds: xdP, into: &threeBody)
      for a in 0..<n3 { alP[a] = alphaSum[a] }
      if threeBody.count > 1 {
        for p in 0..<(threeBody.count - 1) {
          let j = threeBody[p]
          let gj = 8 * (start + j)
          let ej = SIMD3(nbGeometry[gj + 5], nbGeometry[gj + 6], nbGeometry[gj + 7])
          let invrj = nbGeometry[gj + 4]
          let cj = Int(nbSpecies[start + j])
          let oj = n3p * j
          for q in (p + 1)..<threeBody.count {
            let kk = threeBody[q]
            let gk = 8 * (start + kk)
            let ek = SIMD3(nbGeometry[gk + 5], nbGeometry[gk + 6], nbGeometry[gk + 7])
            let invrk = nbGeometry[gk + 4]
            let cosine = dot(ej, ek)
            // ∂cos/∂d_j and ∂cos/∂d_k: the per-filter ċ is their product with D.
            let cj3 = (ek - cosine * ej) * invrj
            let ck3 = (ej - cosine * ek) * invrk
            let pi = evaluator.gLookup[cj * ne + Int(nbSpecies[start + kk])]
            let table = evaluator.gTables[pi]
            let g = table.point(cosine, values: gvP, derivatives: gdP)
            let ok = n3p * kk
            for c in 0..<chunks {
              let o = 4 * c
              let fj = load4(fvP + oj + o)
              let fk = load4(fvP + ok + o)
              let fdj = load4(fdP + oj + o)
              let fdk = load4(fdP + ok + o)
              let bj = load4(bP + oj + o)
              let bk = load4(bP + ok + o)
              let cDot =
                cj3.x * load4(dxP + oj + o) + cj3.y * load4(dyP + oj + o)
                + cj3.z * load4(dzP + oj + o) + ck3.x * load4(dxP + ok + o)
                + ck3.y * load4(dyP + ok + o) + ck3.z * load4(dzP + ok + o)
              let (ga, gda) = g.four(o)
              let al = load4(alP + o)
              store4(
                xvP + oj + o, load4(xvP + oj + o) + (al * fk * ga + fdk * bk * ga + fk * gda * cDot))
              store4(xdP + oj + o, load4(xdP + oj + o) + bj * fk * ga)
              store4(
                xvP + ok + o, load4(xvP + ok + o) + (al * fj * ga + fdj * bj * ga + fj * gda * cDot))
              store4(xdP + ok + o, load4(xdP + ok + o) + bk * fj * ga)
              store4(zvP + o, al * fj * fk + fdj * bj * fk + fj * fdk * bk)
              store4(zdP + o, fj * fk * cDot)
            }
            table.accumulateGradient(
              cosine, valueSeeds: zvP, slopeSeeds: zdP, into: gGradient[pi].pointer)
          }
        }
      }
      flushThreeBodyRows(i, threeBody, stride: n3p, seeds: xvP, slopeSeeds: xdP, into: fGradient)
    }
  }
}
