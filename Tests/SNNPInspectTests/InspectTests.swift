import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPInspect
import Testing
import _SNNPTestSupport

/// Parses a CSV produced by the tools: header and rows of fields.
func parseCSV(_ text: String) -> (header: [String], rows: [[String]]) {
  let lines = text.split(separator: "\n").map {
    $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
  }
  return (lines[0], Array(lines.dropFirst()))
}

/// A frame holding structure `s` (elements Mo, Nb), no reference data.
func makeFrame(_ s: Structure) -> Frame {
  Frame(
    symbols: s.species.map { ["Mo", "Nb"][$0] }, positions: s.positions, cell: s.cell, pbc: s.pbc,
    energy: nil,
    forces: nil, stress: nil, configType: nil, info: [:], line: 1)
}

/// A potential with one element, N3 = 2, N2 = 1, whose f splines are exact cubics
/// p_a(r) and whose g splines are constants c_a; the network is random.
func analyticPotential() -> (Potential, [(Double) -> Double], [(Double) -> Double], [Double]) {
  let knots = uniformKnots(from: 1.5, to: 5.0, count: 8)
  // p_a(r) = s_a (r − 5)² (r − 1): a cubic, which a clamped cubic spline reproduces exactly.
  let scales = [0.3, -0.7]
  let p: [(Double) -> Double] = scales.map { s in { r in s * (r - 5) * (r - 5) * (r - 1) } }
  let dp: [(Double) -> Double] = scales.map { s in
    { r in s * (2 * (r - 5) * (r - 1) + (r - 5) * (r - 5)) }
  }
  // Antiderivative P_a(r) of p_a: s[(r−5)⁴/4 + 4(r−5)³/3] (since r − 1 = (r − 5) + 4).
  let P: [(Double) -> Double] = scales.map { s in
    { r in s * (pow(r - 5, 4) / 4 + 4 * pow(r - 5, 3) / 3) }
  }
  let f = SplineBank(
    splines: (0..<2).map { a in
      CubicSpline(
        knots: knots, values: knots.map(p[a]), startSlope: dp[a](knots[0]),
        endSlope: dp[a](knots.last!))
    }, cutoff: 5.0)
  let gConst = [0.8, -1.3]
  let gKnots = uniformKnots(from: -1, to: 1, count: 5)
  let g = SplineBank(
    splines: gConst.map { c in
      CubicSpline(knots: gKnots, values: gKnots.map { _ in c }, startSlope: 0, endSlope: 0)
    },
    cutoff: .infinity)
  let base = TestPotentials.make(.intAll, elements: ["Mo"], threeBody: 2, twoBody: 1, cutoff: 5.0)
  let pot = Potential(
    elements: ["Mo"], threeBodyCount: 2, twoBodyCount: 1, f: [f], g: [g], rho: base.rho,
    pair: base.pair,
    regressors: base.regressors, skipConnection: true, softplusOutput: true, bias: base.bias)
  return (pot, p, P, gConst)
}

@Suite struct SplinePlotTests {
  /// Every CSV number equals SplineBank.evaluateAll at the CSV's x (bit for bit), for all four roles.
  @Test func csvEqualsBankEvaluation() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 9)
    let families = SplinePlots.families(p, samples: 50)
    #expect(
      families.map(\.name) == [
        "pair_Mo-Mo", "pair_Mo-Nb", "pair_Nb-Nb", "f_Mo", "f_Nb", "rho_Mo", "rho_Nb", "g_Mo-Mo",
        "g_Mo-Nb", "g_Nb-Nb",
      ])
    var checked = 0
    for fam in families {
      let (header, rows) = parseCSV(SplinePlots.csv(fam))
      #expect(header.count == fam.bank.count + 1)
      #expect(rows.count == 50)
      for row in rows {
        let x = Double(row[0])!
        let v = fam.bank.evaluateAll(x).values
        for s in 0..<fam.bank.count {
          #expect(Double(row[s + 1])! == v[s], "\(fam.name) spline \(s + 1) at \(x)")
          checked += 1
        }
      }
      // Sample range: radial from the first knot to the cutoff, angular over [−1, 1].
      #expect(Double(rows.first![0])! == (fam.isRadial ? fam.bank.knots[0] : -1))
      #expect(Double(rows.last![0])! == (fam.isRadial ? fam.bank.cutoff : 1))
      let knots = parseCSV(SplinePlots.knotsCSV(fam)).rows
      #expect(knots.map { Double($0[1])! } == fam.bank.knots)
      let svg = SplinePlots.svg(fam)
      #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
    }
    #expect(checked == 50 * (3 + 2 * 3 + 2 * 2 + 3 * 3))
  }
}

@Suite struct FilterMapTests {
  /// With f[a] = p_a (an exact cubic) and g[a] ≡ c_a, every map cell equals
  /// p_a(r) · (P_a(min(rk_max, 5)) − P_a(rk_min)) · c_a to 1e-10.
  @Test func mapEqualsAnalyticProduct() throws {
    let (pot, p, P, c) = analyticPotential()
    let maps = try FilterMaps.maps(
      pot, rMin: 1.6, rMax: 4.9, rkMin: 1.7, rkMax: 7.0, radialCells: 23, angularCells: 17)
    #expect(maps.count == 2)
    var worst = 0.0
    for (a, m) in maps.enumerated() {
      let I = P[a](5.0) - P[a](1.7)  // f is zero beyond its 5 Å cutoff
      #expect(abs(m.integral - I) < 1e-10, "integral \(m.integral) vs \(I)")
      for (ir, r) in m.radii.enumerated() {
        for it in m.angles.indices {
          worst = max(worst, abs(m.values[ir][it] - p[a](r) * I * c[a]))
        }
      }
    }
    #expect(worst < 1e-10, "max deviation \(worst)")
    // The average map is the cell-wise mean, and the CSV carries the numbers exactly.
    let avg = FilterMaps.average(maps)
    #expect(abs(avg.values[3][5] - (maps[0].values[3][5] + maps[1].values[3][5]) / 2) < 1e-15)
    let rows = parseCSV(FilterMaps.csv(maps[1])).rows
    #expect(rows.count == 23 * 17)
    #expect(Double(rows[17 * 4 + 2][2])! == maps[1].values[4][2])
    #expect(abs(Double(rows[17 * 4 + 2][1])! - maps[1].angles[2] * 180 / Double.pi) < 1e-12)
  }

  /// The r_k integral uses linear extrapolation below the first knot (exact to round-off there too).
  @Test func integralBelowFirstKnot() throws {
    let (pot, p, P, _) = analyticPotential()
    let bank = pot.f[0]
    let slope = bank.splines[0].startSlope
    // ∫_{1.0}^{1.5} (p(1.5) + slope (r − 1.5)) dr = 0.5 p(1.5) − slope·0.125
    let expected = 0.5 * p[0](1.5) - slope * 0.125 + (P[0](3.0) - P[0](1.5))
    #expect(abs(FilterMaps.integral(bank, spline: 0, from: 1.0, to: 3.0) - expected) < 1e-12)
  }

  /// Reference shells: bcc a√3/2 and a; fcc a/√2 and a; diamond a√3/4 and a/√2.
  @Test func latticeShells() {
    #expect(abs(Lattice.bcc.neighborDistances(a: 3.16)[0] - 2.7366402759588) < 1e-12)
    #expect(Lattice.fcc.neighborDistances(a: 4.0) == [4.0 / 2.0.squareRoot(), 4.0])
    #expect(abs(Lattice.diamond.neighborDistances(a: 5.43)[0] - 2.3512589712747505) < 1e-12)
  }
}

@Suite struct SensitivityTests {
  /// The back-propagated ∂E_i/∂G equals central finite differences of the regressor energy
  /// (network + softplus + skip), for every variant with a regressor.
  @Test(arguments: [Variant.network, .intSkip, .intAll, .embedding, .linear])
  func gradientMatchesFiniteDifferences(variant: Variant) throws {
    let p = TestPotentials.make(variant, elements: ["Mo", "Nb"], seed: 11)
    let s = TestStructures.bcc(a: 3.1, repeats: 1, elementCount: 2, rattle: 0.2)
    let r = try Evaluator(p).evaluate(s)
    var worst = 0.0
    var largest = 0.0
    for i in 0..<s.count {
      let c = s.species[i]
      let G = r.filters[i]
      let w = Sensitivity.regressorEnergy(p, element: c, filters: G).gradient
      for a in G.indices {
        let h = 1e-6 * max(1, abs(G[a]))
        var gp = G
        gp[a] += h
        var gm = G
        gm[a] -= h
        let fd =
          (Sensitivity.regressorEnergy(p, element: c, filters: gp).value
            - Sensitivity.regressorEnergy(p, element: c, filters: gm).value) / (2 * h)
        worst = max(worst, abs(fd - w[a]))
        largest = max(largest, abs(w[a]))
      }
    }
    #expect(largest > 0.1, "gradients must be non-trivial, largest \(largest)")
    #expect(worst < 1e-7 * max(1, largest), "\(variant): max |FD − backprop| = \(worst)")
  }

  /// The regressor energy plus the bias is the kernel's atomic energy when there is no pair term.
  @Test(arguments: [Variant.network, .intSkip, .intAll, .embedding])
  func regressorEnergyMatchesKernel(variant: Variant) throws {
    var p = TestPotentials.make(variant, elements: ["Mo", "Nb"], seed: 12)
    p.pair = nil
    let s = TestStructures.bcc(a: 3.1, repeats: 1, elementCount: 2, rattle: 0.2)
    let r = try Evaluator(p).evaluate(s)
    for i in 0..<s.count {
      let e =
        p.bias[s.species[i]]
        + Sensitivity.regressorEnergy(p, element: s.species[i], filters: r.filters[i]).value
      #expect(abs(e - r.atomEnergies[i]) < 1e-12 * max(1, abs(e)))
    }
  }

  /// s_E^a over a small data set equals the hand-summed Σ |w_a| / |E_DFT|; correlation is symmetric, diagonal 1.
  @Test func sensitivitySumsAndCorrelation() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 13)
    let s1 = TestStructures.bcc(a: 3.1, repeats: 1, elementCount: 2, rattle: 0.2, seed: 1)
    let s2 = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: 2, rattle: 0.2, seed: 2)
    func frame(_ s: Structure, _ e: Double?) -> Frame {
      var f = makeFrame(s)
      f.energy = e
      return f
    }
    let frames = [frame(s1, -20.0), frame(s2, -25.0), frame(s1, nil)]
    let result = try Sensitivity.compute(p, frames: frames, file: "test.xyz")
    #expect(result.frames == 2 && result.skipped == 1 && result.atoms == [2, 2])
    var expected = [[Double]](repeating: [0, 0, 0], count: 2)
    var expectedNetwork = expected
    var noSkip = p
    noSkip.skipConnection = false
    for (s, e) in [(s1, 20.0), (s2, 25.0)] {
      let r = try Evaluator(p).evaluate(s)
      for i in 0..<s.count {
        let w = Sensitivity.regressorEnergy(p, element: s.species[i], filters: r.filters[i])
          .gradient
        let wn = Sensitivity.regressorEnergy(noSkip, element: s.species[i], filters: r.filters[i])
          .gradient
        for a in 0..<3 {
          expected[s.species[i]][a] += abs(w[a]) / e
          expectedNetwork[s.species[i]][a] += abs(wn[a]) / e
          // With the skip connection, ∂E/∂G = 1 + network part.
          #expect(abs(w[a] - 1 - wn[a]) < 1e-14)
        }
      }
    }
    for c in 0..<2 {
      for a in 0..<3 {
        #expect(abs(result.values[c][a] - expected[c][a]) < 1e-14)
        #expect(abs(result.regressorValues[c][a] - expectedNetwork[c][a]) < 1e-14)
        #expect(result.regressorValues[c][a] > 1e-7, "the network part must be exercised")
      }
    }
    let m = result.correlation
    #expect(abs(m[0][0] - 1) < 1e-12 && abs(m[1][1] - 1) < 1e-12 && m[0][1] == m[1][0])
    #expect(abs(Sensitivity.pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-12)
    #expect(Sensitivity.pearson([1, 1, 1], [1, 2, 3]).isNaN)
    let rows = parseCSV(result.csv()).rows
    #expect(rows.count == 6 && Double(rows[4][2])! == result.values[1][1])
  }
}

@Suite struct ParityTests {
  /// The parity CSVs reproduce ErrorSummary's MAE/RMSE, and the figure prints them.
  @Test func csvAndMetricsMatchErrorSummary() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 14)
    let ref = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 15)
    var frames: [Frame] = []
    var summary = ErrorSummary()
    for k in 0..<3 {
      let s = TestStructures.bcc(
        a: 3.1 + 0.05 * Double(k), repeats: 1, elementCount: 2, rattle: 0.2, seed: UInt64(k))
      let truth = try Evaluator(ref).evaluate(s)
      var f = makeFrame(s)
      f.energy = truth.energy
      f.forces = truth.forces
      frames.append(f)
      let pred = try Evaluator(p).evaluate(s)
      summary.add(
        atoms: s.count, predictedEnergy: pred.energy, referenceEnergy: truth.energy,
        predictedForces: pred.forces, referenceForces: truth.forces)
    }
    let parity = try Parity.compute(p, frames: frames, file: "test.xyz")
    #expect(parity.summary == summary)
    var e = ErrorAccumulator()
    for row in parseCSV(parity.energyCSV()).rows { e.add(Double(row[4])! - Double(row[3])!) }
    var f = ErrorAccumulator()
    let forceRows = parseCSV(parity.forceCSV()).rows
    #expect(forceRows.count == 3 * 2 * 3)
    for row in forceRows { f.add(Double(row[4])! - Double(row[3])!) }
    #expect(abs(e.mae - summary.energy.mae) < 1e-15 && abs(e.rmse - summary.energy.rmse) < 1e-15)
    #expect(abs(f.mae - summary.force.mae) < 1e-15 && abs(f.rmse - summary.force.rmse) < 1e-15)
    #expect(summary.energy.mae > 1e-3, "the two potentials must differ")
    let svg = parity.svg(title: "t")
    #expect(svg.contains(String(format: "MAE %.3f meV/atom", 1000 * summary.energy.mae)))
    #expect(svg.contains(String(format: "RMSE %.4f eV/Å", summary.force.rmse)))
  }
}

@Suite struct MapTests {
  /// PCA on synthetic data with known axes: components orthonormal, variances ordered and equal
  /// to the variance of the projections, the leading axis recovered.
  @Test func pcaSyntheticAxes() {
    var rng = SeededGenerator(seed: 5)
    let u = [1.0, 1.0, 0.0, 1.0].map { $0 / 3.0.squareRoot() }
    let v = [1.0, -1.0, 0.0, 0.0].map { $0 / 2.0.squareRoot() }
    var rows: [[Double]] = []
    for _ in 0..<400 {
      let s = 3 * rng.uniform(-1, 1)
      let t = 1 * rng.uniform(-1, 1)
      let noise = 0.01 * rng.uniform(-1, 1)
      rows.append((0..<4).map { 2 + s * u[$0] + t * v[$0] + (($0 == 2) ? noise : 0) })
    }
    let pca = PCA.fit(rows, components: 2)
    let c = pca.components
    func d(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
    #expect(
      abs(d(c[0], c[0]) - 1) < 1e-12 && abs(d(c[1], c[1]) - 1) < 1e-12 && abs(d(c[0], c[1])) < 1e-12
    )
    #expect(pca.variances[0] >= pca.variances[1])
    #expect(abs(abs(d(c[0], u)) - 1) < 1e-3, "leading axis \(c[0])")
    #expect(abs(abs(d(c[1], v)) - 1) < 1e-3, "second axis \(c[1])")
    for k in 0..<2 {
      let proj = rows.map { pca.project($0)[k] }
      let mean = proj.reduce(0, +) / Double(proj.count)
      let variance = proj.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(proj.count)
      #expect(abs(mean) < 1e-12)
      #expect(abs(variance - pca.variances[k]) < 1e-10 * pca.variances[0])
    }
  }

  /// On real filter vectors (two elements): orthonormal components, ordered projected variances, CSV rows per atom.
  @Test func filterSpaceMap() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 16)
    let frames = (0..<3).map { k -> Frame in
      let s = TestStructures.bcc(
        a: 3.0 + 0.1 * Double(k), repeats: 2, elementCount: 2, rattle: 0.2, seed: UInt64(k))
      var f = makeFrame(s)
      f.configType = "set\(k)"
      return f
    }
    let m = try FilterSpaceMap.compute(p, frames: frames, file: "test.xyz")
    #expect(m.points.count == 48)
    let c = m.pca.components
    #expect(abs(zip(c[0], c[1]).map(*).reduce(0, +)) < 1e-12)
    let v = (0..<2).map { k -> Double in
      let x = m.points.map { $0.pc[k] }
      let mean = x.reduce(0, +) / 48
      return x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 48
    }
    #expect(v[0] >= v[1] && v[1] > 0)
    #expect(abs(v[0] - m.pca.variances[0]) < 1e-9 * v[0])
    #expect(m.pca.variances[0] + m.pca.variances[1] <= m.pca.totalVariance * (1 + 1e-12))
    #expect(parseCSV(m.csv()).rows.count == 48)
    #expect(m.svg(byElement: false, title: "t").contains("set2 (16)"))
  }
}
