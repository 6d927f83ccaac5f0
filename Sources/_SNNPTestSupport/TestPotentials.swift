import SNNPCore

/// The model variants of the paper's Table 1 plus s-MEAM.
public enum Variant: String, CaseIterable, Sendable {
  /// E = Σ G + b ("linear").
  case linear
  /// E = N(G) with internal biases (plain s-NNP).
  case network
  /// E = Σ G + N(G) + b ("int. skip").
  case intSkip
  /// E = Σ G + φ + b + softplus(N_nobias(G)) ("int. all").
  case intAll
  /// E = U(Σ G) − U(0) + φ (s-MEAM).
  case embedding
}

/// Smooth random potentials for tests: radial splines pinned to 0 with zero
/// slope at their cutoff, random angular splines, random networks.
public enum TestPotentials {
  /// A random potential of `variant` for `elements`; with `sharedFilters` one f, g and
  /// ρ bank serve every element (networks, biases and pair terms stay per element);
  /// with `threeBodyBasis` the three-body filters take the tensor-product form
  /// (`threeBody` is then ignored: N3 = A(A+1)/2 · C); `fourBody` > 0 adds that many
  /// four-body radial splines h (2 moment filters each) on the three-body cutoff.
  public static func make(
    _ variant: Variant, elements: [String], threeBody: Int = 3, twoBody: Int = 2,
    cutoff: Double = 4.2,
    pairCutoff: Double = 2.6, hidden: [Int] = [5, 3], seed: UInt64 = 1,
    threeBodyCutoff: Double? = nil,
    sharedFilters: Bool = false, threeBodyBasis: ThreeBodyBasis? = nil, fourBody: Int = 0
  ) -> Potential {
    let threeBody = threeBodyBasis?.filterCount ?? threeBody
    var rng = SeededGenerator(seed: seed)
    let n = elements.count
    let pairs = n * (n + 1) / 2
    let radialBanks = sharedFilters ? 1 : n
    let angularBanks = sharedFilters ? 1 : pairs
    func radial(
      _ count: Int, scale: Double, lower: Double, upper: Double, knots k: Int
    ) -> SplineBank {
      let x = uniformKnots(from: lower, to: upper, count: k)
      let splines = (0..<count).map { _ -> CubicSpline in
        var y = x.map { xi -> Double in
          let t = (upper - xi) / (upper - lower)
          return scale * (rng.uniform(-0.3, 1.0)) * t * t
        }
        y[k - 1] = 0
        return CubicSpline(knots: x, values: y, startSlope: -scale * rng.uniform(0, 2), endSlope: 0)
      }
      return SplineBank(splines: splines, cutoff: upper)
    }
    func angular(_ count: Int) -> SplineBank {
      let x = uniformKnots(from: -1, to: 1, count: 7)
      let splines = (0..<count).map { _ in
        CubicSpline(
          knots: x, values: x.map { _ in rng.uniform(-0.5, 0.5) }, startSlope: rng.uniform(-1, 1),
          endSlope: rng.uniform(-1, 1))
      }
      return SplineBank(splines: splines, cutoff: .infinity)
    }
    let f =
      threeBody > 0
      ? (0..<radialBanks).map { _ in
        radial(
          threeBodyBasis?.radial ?? threeBody, scale: 0.4, lower: 1.8,
          upper: threeBodyCutoff ?? cutoff, knots: 8)
      } : []
    let g =
      threeBody > 0
      ? (0..<angularBanks).map { _ in angular(threeBodyBasis?.angular ?? threeBody) } : []
    let rho =
      twoBody > 0
      ? (0..<radialBanks).map { _ in
        radial(twoBody, scale: 0.3, lower: 1.8, upper: cutoff, knots: 7)
      } : []
    // Drawn after the other banks, so potentials without four-body filters are unchanged.
    let h =
      fourBody > 0
      ? (0..<radialBanks).map { _ in
        radial(fourBody, scale: 0.5, lower: 1.8, upper: threeBodyCutoff ?? cutoff, knots: 7)
      } : []
    let filterCount = threeBody + twoBody + 2 * fourBody
    func network(biases: Bool) -> MLP {
      let sizes = [filterCount] + hidden + [1]
      let layers = (0..<(sizes.count - 1)).map { l -> DenseLayer in
        let nIn = sizes[l]
        let nOut = sizes[l + 1]
        let s = 1.0 / Double(nIn).squareRoot()
        return DenseLayer(
          inputs: nIn, outputs: nOut, weights: (0..<(nIn * nOut)).map { _ in rng.uniform(-s, s) },
          biases: biases ? (0..<nOut).map { _ in rng.uniform(-0.2, 0.2) } : nil,
          activation: l == sizes.count - 2 ? .linear : .celu)
      }
      return MLP(layers: layers)
    }
    var pair: [SplineBank]? = nil
    var regressors: [Regressor] = Array(repeating: .none, count: n)
    var skip = false
    var softplusOutput = false
    let bias = (0..<n).map { _ in rng.uniform(-5, -1) }
    switch variant {
    case .linear:
      skip = true
    case .network:
      regressors = (0..<n).map { _ in .network(network(biases: true)) }
    case .intSkip:
      skip = true
      regressors = (0..<n).map { _ in .network(network(biases: true)) }
    case .intAll:
      skip = true
      softplusOutput = true
      pair = (0..<pairs).map { _ in radial(1, scale: 2.0, lower: 1.5, upper: pairCutoff, knots: 5) }
      regressors = (0..<n).map { _ in .network(network(biases: false)) }
    case .embedding:
      pair = (0..<pairs).map { _ in radial(1, scale: 1.0, lower: 1.5, upper: cutoff, knots: 9) }
      regressors = (0..<n).map { _ in
        let x = uniformKnots(from: -3, to: 6, count: 8)
        return .embedding(
          CubicSpline(
            knots: x, values: x.map { 0.1 * $0 * $0 - 0.5 * $0 + rng.uniform(-0.1, 0.1) },
            startSlope: -1.1, endSlope: 0.7))
      }
    }
    return Potential(
      elements: elements, threeBodyCount: threeBody, twoBodyCount: twoBody, f: f, g: g, rho: rho,
      pair: pair,
      regressors: regressors, skipConnection: skip, softplusOutput: softplusOutput,
      bias: variant == .embedding ? [Double](repeating: 0, count: n) : bias,
      sharedFilters: sharedFilters,
      threeBodyBasis: threeBodyBasis, fourBodySplines: fourBody, h: h)
  }
}

/// Test structures.
public enum TestStructures {
  /// A rattled bcc supercell of `repeats`³ conventional cells (lattice constant `a`, Å),
  /// elements assigned cyclically from `elementCount`, optionally sheared (triclinic).
  public static func bcc(
    a: Double = 3.15, repeats: Int = 2, elementCount: Int = 1, rattle: Double = 0.12,
    shear: Double = 0, seed: UInt64 = 7
  ) -> Structure {
    var rng = SeededGenerator(seed: seed)
    let L = a * Double(repeats)
    let cell = [
      SIMD3(L, 0, 0), SIMD3(shear * L, L * 1.01, 0),
      SIMD3(-0.5 * shear * L, 0.3 * shear * L, L * 0.99),
    ]
    var positions: [SIMD3<Double>] = []
    var species: [Int] = []
    for i in 0..<repeats {
      for j in 0..<repeats {
        for k in 0..<repeats {
          for basis in [SIMD3<Double>(0, 0, 0), SIMD3(0.5, 0.5, 0.5)] {
            let s = (SIMD3(Double(i), Double(j), Double(k)) + basis) / Double(repeats)
            let x = s.x * cell[0] + s.y * cell[1] + s.z * cell[2]
            positions.append(
              x
                + SIMD3(
                  rng.uniform(-rattle, rattle), rng.uniform(-rattle, rattle),
                  rng.uniform(-rattle, rattle)))
            species.append(positions.count % elementCount)
          }
        }
      }
    }
    return Structure(cell: cell, pbc: [true, true, true], positions: positions, species: species)
  }

  /// A `nx × ny × nz` supercell of `s`.
  public static func supercell(_ s: Structure, _ nx: Int, _ ny: Int, _ nz: Int) -> Structure {
    var positions: [SIMD3<Double>] = []
    var species: [Int] = []
    for i in 0..<nx {
      for j in 0..<ny {
        for k in 0..<nz {
          let shift = Double(i) * s.cell[0] + Double(j) * s.cell[1] + Double(k) * s.cell[2]
          positions += s.positions.map { $0 + shift }
          species += s.species
        }
      }
    }
    return Structure(
      cell: [Double(nx) * s.cell[0], Double(ny) * s.cell[1], Double(nz) * s.cell[2]], pbc: s.pbc,
      positions: positions, species: species)
  }
}

/// Central finite-difference derivatives.
public enum FiniteDifference {
  /// −∂E/∂x for every atom by central differences with step `h` (Å).
  public static func forces(
    _ evaluator: Evaluator, _ s: Structure, h: Double = 1e-5
  ) throws -> [SIMD3<Double>] {
    var out = [SIMD3<Double>](repeating: .zero, count: s.count)
    for i in 0..<s.count {
      for c in 0..<3 {
        var plus = s
        plus.positions[i][c] += h
        var minus = s
        minus.positions[i][c] -= h
        let ep = try evaluator.evaluate(plus, filters: false).energy
        let em = try evaluator.evaluate(minus, filters: false).energy
        out[i][c] = -(ep - em) / (2 * h)
      }
    }
    return out
  }

  /// −∂E/∂ε_ab (the virial W) for the six components xx yy zz xy xz yz, with a
  /// symmetric strain for the shear components.
  public static func virial(
    _ evaluator: Evaluator, _ s: Structure, h: Double = 1e-6
  ) throws -> [Double] {
    let components = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)]
    return try components.map { (a, b) in
      func strained(_ e: Double) -> Structure {
        var rows = [SIMD3<Double>](repeating: .zero, count: 3)
        if a == b {
          rows[a][b] = e
        } else {
          rows[a][b] = e / 2
          rows[b][a] = e / 2
        }
        return s.deformed(by: rows)
      }
      let ep = try evaluator.evaluate(strained(h), filters: false).energy
      let em = try evaluator.evaluate(strained(-h), filters: false).energy
      return -(ep - em) / (2 * h)
    }
  }
}

/// Largest absolute component.
public func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

extension TestPotentials {
  /// A committee of `heads` network heads on the filters of `make(variant, ...)`: head k
  /// is the network of the same potential drawn with seed `seed + k` (variants with a network).
  public static func committee(
    _ variant: Variant, elements: [String], heads: Int, threeBody: Int = 3, twoBody: Int = 2,
    seed: UInt64 = 1,
    sharedFilters: Bool = false, fourBody: Int = 0
  ) -> Potential {
    var p = make(
      variant, elements: elements, threeBody: threeBody, twoBody: twoBody, seed: seed,
      sharedFilters: sharedFilters, fourBody: fourBody)
    let draws = (0..<heads).map {
      make(
        variant, elements: elements, threeBody: threeBody, twoBody: twoBody,
        seed: seed + UInt64($0), sharedFilters: sharedFilters, fourBody: fourBody)
    }
    p.regressors = (0..<elements.count).map { c in
      .networks(draws.map { $0.regressors[c].networks[0] })
    }
    return p
  }

  /// Head `k` of a committee potential alone, as a single-network potential.
  public static func head(_ p: Potential, _ k: Int) -> Potential {
    var q = p
    q.regressors = p.regressors.map { .network($0.networks[k]) }
    return q
  }
}
