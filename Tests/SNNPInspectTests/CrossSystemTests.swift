import Foundation
import SNNPCore
import SNNPData
import SNNPInspect
import Testing
import _SNNPTestSupport

/// A frame of structure `s` with symbols from `elements`, optional energy and forces.
func frame(
  _ s: Structure, _ elements: [String], energy: Double? = nil, forces: [SIMD3<Double>]? = nil,
  configType: String? = nil
)
  -> Frame
{
  Frame(
    symbols: s.species.map { elements[$0] }, positions: s.positions, cell: s.cell, pbc: s.pbc,
    energy: energy,
    forces: forces, stress: nil, configType: configType, info: [:], line: 1)
}

/// Pearson correlation written out: Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²).
func directPearson(_ x: [Double], _ y: [Double]) -> Double {
  let mx = x.reduce(0, +) / Double(x.count)
  let my = y.reduce(0, +) / Double(y.count)
  var sxy = 0.0
  var sxx = 0.0
  var syy = 0.0
  for (a, b) in zip(x, y) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
    syy += (b - my) * (b - my)
  }
  return sxy / (sxx * syy).squareRoot()
}

@Suite struct GeometryHistogramTests {
  /// A non-periodic triangle with sides 2, 2, 3 Å and a far atom: 6 ordered pairs
  /// (4 at 2 Å, 2 at 3 Å), 3 triplets with cos θ = −1/8 (at the apex) and 3/4 (twice).
  @Test func triangleCountsByHand() throws {
    let h = 3.0 / 2
    let y = (4 - h * h).squareRoot()
    let s = Structure(
      cell: [SIMD3(0, 0, 0), SIMD3(0, 0, 0), SIMD3(0, 0, 0)], pbc: [false, false, false],
      positions: [SIMD3(0, y, 0), SIMD3(-h, 0, 0), SIMD3(h, 0, 0), SIMD3(50, 50, 50)],
      species: [0, 0, 0, 0])
    let r = try GeometryHistogram.compute(
      frames: [frame(s, ["Mo"])], label: "t", cutoff: 4, rBins: 8, cosBins: 16)
    #expect(r.frames == 1 && r.atoms == 4 && r.pairs == 6 && r.triplets == 3)
    // r bins of 0.5 Å: 2 Å → bin 4, 3 Å → bin 6.
    #expect(r.rCounts == [0, 0, 0, 0, 4, 0, 2, 0])
    // cos bins of 1/8: −1/8 → bin 7, 3/4 → bin 14.
    var expectedCos = [Int](repeating: 0, count: 16)
    expectedCos[7] = 1
    expectedCos[14] = 2
    #expect(r.cosCounts == expectedCos)
    #expect(abs(r.rDensity.reduce(0, +) * 0.5 - 1) < 1e-14)
    let rows = parseCSV(GeometryHistogram.csv([r, r], quantity: "cos")).rows
    #expect(rows.count == 16 && rows[14] == ["0.75", "0.875", "2", "2"])
  }

  /// A rattled periodic bcc cell with a cutoff larger than the cell: the histograms equal
  /// a brute-force count over explicit image translations (−3…3 cells each way).
  @Test func periodicCellEqualsBruteForce() throws {
    let s = TestStructures.bcc(
      a: 3.1, repeats: 1, elementCount: 2, rattle: 0.25, shear: 0.1, seed: 5)
    let cutoff = 4.7
    let (rBins, cosBins) = (47, 40)
    let r = try GeometryHistogram.compute(
      frames: [frame(s, ["Mo", "Nb"]), frame(s, ["Mo", "Nb"])], label: "t", cutoff: cutoff,
      rBins: rBins, cosBins: cosBins)
    var rCounts = [Int](repeating: 0, count: rBins)
    var cosCounts = [Int](repeating: 0, count: cosBins)
    for i in 0..<s.count {
      var neighbours: [SIMD3<Double>] = []
      for j in 0..<s.count {
        for n1 in -3...3 {
          for n2 in -3...3 {
            for n3 in -3...3 {
              if j == i && n1 == 0 && n2 == 0 && n3 == 0 { continue }
              let d =
                s.positions[j] + Double(n1) * s.cell[0] + Double(n2) * s.cell[1] + Double(n3)
                * s.cell[2] - s.positions[i]
              let len = dot(d, d).squareRoot()
              if len < cutoff {
                neighbours.append(d)
                rCounts[Int(len / cutoff * Double(rBins))] += 2  // the structure is read twice
              }
            }
          }
        }
      }
      for a in neighbours.indices {
        for b in (a + 1)..<neighbours.count {
          let (u, v) = (neighbours[a], neighbours[b])
          let c = dot(u, v) / (dot(u, u) * dot(v, v)).squareRoot()
          cosCounts[min(cosBins - 1, Int((c + 1) / 2 * Double(cosBins)))] += 2
        }
      }
    }
    #expect(r.rCounts == rCounts)
    #expect(r.cosCounts == cosCounts)
    let n = rCounts.reduce(0, +) / 2
    #expect(r.triplets == cosCounts.reduce(0, +) && r.pairs == 2 * n && n > 50)
  }

  /// Bad input names what was expected.
  @Test func badCutoff() {
    #expect(throws: InspectError.self) {
      try GeometryHistogram.compute(frames: [], label: "t", cutoff: -1)
    }
    #expect(throws: InspectError.self) {
      try GeometryHistogram.compute(frames: [], label: "t", cutoff: 5, rBins: 0)
    }
  }
}

@Suite struct CrossSystemSensitivityTests {
  /// Three elements over two data sets: the result is the sum of the sets' results; the
  /// correlation matrix is symmetric with unit diagonal and equals Pearson's formula
  /// written out; the table prints the same numbers.
  @Test func setsAddAndCorrelationIsPearson() throws {
    let elements = ["Mo", "Nb", "Ta"]
    let p = TestPotentials.make(
      .network, elements: elements, threeBody: 4, seed: 21, sharedFilters: true)
    let a = [
      frame(
        TestStructures.bcc(a: 3.1, repeats: 2, elementCount: 3, rattle: 0.2, seed: 1), elements,
        energy: -20),
      frame(
        TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 3, rattle: 0.2, seed: 2), elements,
        energy: -22),
    ]
    let b = [
      frame(
        TestStructures.bcc(a: 3.15, repeats: 2, elementCount: 3, rattle: 0.3, seed: 3), elements,
        energy: -30)
    ]
    let both = try Sensitivity.compute(
      p, sets: [(label: "a.xyz", frames: a), (label: "b.xyz", frames: b)])
    let sa = try Sensitivity.compute(p, frames: a, file: "a.xyz")
    let sb = try Sensitivity.compute(p, frames: b, file: "b.xyz")
    #expect(
      both.frames == 3 && both.atoms.allSatisfy { $0 > 0 }
        && both.atoms == zip(sa.atoms, sb.atoms).map { $0 + $1 })
    for c in 0..<3 {
      for k in 0..<4 { #expect(abs(both.values[c][k] - sa.values[c][k] - sb.values[c][k]) < 1e-14) }
    }
    let m = both.correlation
    for p in 0..<3 {
      #expect(abs(m[p][p] - 1) < 1e-12)
      for q in 0..<3 {
        #expect(m[p][q] == m[q][p])
        #expect(abs(m[p][q] - directPearson(both.values[p], both.values[q])) < 1e-12)
      }
    }
    #expect(abs(m[0][1]) < 0.999, "the elements must differ")
    let rel = both.relativeValues
    for c in 0..<3 {
      #expect(rel[c].max()! == 1)
      #expect(abs(rel[c][2] - both.values[c][2] / both.values[c].max()!) < 1e-15)
    }
    let table = both.table()
    #expect(
      table.contains(
        "| Nb | \(both.atoms[1]) | "
          + both.values[1].map { String(format: "%.3g", $0) }.joined(separator: " | ") + " |"))
    #expect(
      table.contains(
        "| Ta | " + m[2].map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |"))
  }
}

@Suite struct ParityByElementTests {
  /// Grouped by element over two data sets: each element's energy and force MAE/RMSE equal
  /// the deviations computed directly from the evaluator; groups by data set split the frames by file.
  @Test func perElementErrorsEqualDirectComputation() throws {
    let elements = ["Mo", "Nb"]
    let p = TestPotentials.make(.intAll, elements: elements, seed: 31, sharedFilters: true)
    let ref = TestPotentials.make(.intAll, elements: elements, seed: 32, sharedFilters: true)
    // Data set A: pure Mo frames; data set B: Mo-Nb frames.
    var sets: [(label: String, frames: [Frame])] = [("A.xyz", []), ("B.xyz", [])]
    var energyDev: [String: [Double]] = [:]
    var forceDev: [String: [Double]] = [:]
    for k in 0..<4 {
      let kinds = k < 2 ? 1 : 2
      let s = TestStructures.bcc(
        a: 3.1 + 0.03 * Double(k), repeats: 1, elementCount: kinds, rattle: 0.2, seed: UInt64(k + 1)
      )
      let truth = try Evaluator(ref).evaluate(s)
      let pred = try Evaluator(p).evaluate(s)
      sets[k < 2 ? 0 : 1].frames.append(
        frame(s, elements, energy: truth.energy, forces: truth.forces))
      energyDev[kinds == 1 ? "Mo" : "Mo-Nb", default: []].append(
        (pred.energy - truth.energy) / Double(s.count))
      for i in 0..<s.count {
        for c in 0..<3 {
          forceDev[elements[s.species[i]], default: []].append(
            pred.forces[i][c] - truth.forces[i][c])
        }
      }
    }
    let parity = try Parity.compute(p, sets: sets)
    let byElement = parity.groupErrors(by: .element)
    // Energy groups are compositions, force groups elements: Mo (both), Mo-Nb (energy only), Nb (force only).
    #expect(byElement.map(\.group) == ["Mo", "Mo-Nb", "Nb"])
    func mae(_ v: [Double]) -> Double { v.map(abs).reduce(0, +) / Double(v.count) }
    func rmse(_ v: [Double]) -> Double {
      (v.map { $0 * $0 }.reduce(0, +) / Double(v.count)).squareRoot()
    }
    for g in byElement {
      if let e = energyDev[g.group] {
        #expect(
          g.energy.count == e.count && abs(g.energy.mae - mae(e)) < 1e-14
            && abs(g.energy.rmse - rmse(e)) < 1e-14)
      } else {
        #expect(g.energy.count == 0)
      }
      if let f = forceDev[g.group] {
        #expect(
          g.force.count == f.count && abs(g.force.mae - mae(f)) < 1e-14
            && abs(g.force.rmse - rmse(f)) < 1e-14)
      } else {
        #expect(g.force.count == 0)
      }
    }
    #expect(byElement[0].force.count == 3 * (2 * 2 + 2 * 1))  // Mo: 2 + 2 atoms in A, 1 + 1 in B
    let byDataset = parity.groupErrors(by: .dataset)
    #expect(
      byDataset.map(\.group) == ["A.xyz", "B.xyz"] && byDataset.map(\.energy.count) == [2, 2])
    let means = parity.meanReferenceEnergies(by: .dataset)
    let meanA = sets[0].frames.map { $0.energy! / Double($0.count) }.reduce(0, +) / 2
    #expect(abs(means["A.xyz"]! - meanA) < 1e-14)
    #expect(
      parity.groupTable(by: .element).contains(
        String(format: "| Mo | 2 | %.2f |", 1000 * mae(energyDev["Mo"]!))))
    #expect(parity.svg(title: "t", by: .element).contains("energy − element mean"))
  }
}

@Suite struct MultiElementFilterMapTests {
  /// Element-resolved: one block per element, equal to that element's maps, with its own
  /// shells; shared: one block, identical to every element's maps, with every element's shells.
  @Test func blocksAndShells() throws {
    let crystals: [String: MultiElementFilterMaps.Crystal] = [
      "Mo": .init(lattice: .bcc, a: 3.16), "Nb": .init(lattice: .fcc, a: 4.0),
    ]
    let resolved = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 41)
    let blocks = try MultiElementFilterMaps.blocks(
      resolved, crystals: crystals, rkMin: 1.5, rkMax: 7, radialCells: 9, angularCells: 7)
    #expect(blocks.map(\.label) == ["Mo", "Nb"])
    for (c, b) in blocks.enumerated() {
      let direct = try FilterMaps.maps(
        resolved, element: c, rMin: 1.5, rMax: 4.2, rkMin: 1.5, rkMax: 7, radialCells: 9,
        angularCells: 7)
      #expect(b.maps.map(\.values) == direct.map(\.values))
      #expect(b.average.values == FilterMaps.average(direct).values)
    }
    #expect(blocks[0].maps[0].values != blocks[1].maps[0].values, "element-resolved filters differ")
    #expect(blocks[1].shells.map(\.radius) == Lattice.fcc.neighborDistances(a: 4.0))
    let shared = TestPotentials.make(
      .intAll, elements: ["Mo", "Nb"], seed: 41, sharedFilters: true)
    let one = try MultiElementFilterMaps.blocks(
      shared, crystals: crystals, rkMin: 1.5, rkMax: 7, radialCells: 9, angularCells: 7)
    #expect(one.count == 1 && one[0].elements == [0, 1] && one[0].label == "shared by Mo, Nb")
    let forNb = try FilterMaps.maps(
      shared, element: 1, rMin: 1.5, rMax: 4.2, rkMin: 1.5, rkMax: 7, radialCells: 9,
      angularCells: 7)
    #expect(one[0].maps.map(\.values) == forNb.map(\.values))
    #expect(
      one[0].shells.map(\.radius) == Lattice.bcc.neighborDistances(a: 3.16)
        + Lattice.fcc.neighborDistances(a: 4.0))
    let svg = MultiElementFilterMaps.svg(
      one, elements: ["Mo", "Nb"], crystals: crystals, title: "t")
    #expect(svg.contains("Nb fcc 4 Å") && svg.contains("filter 3"))
  }

  /// `--crystal` parsing: El=lattice:a, otherwise an error saying what is expected.
  @Test func crystalParsing() throws {
    let (el, x) = try MultiElementFilterMaps.Crystal.parse("Cu=fcc:3.63")
    #expect(el == "Cu" && x == .init(lattice: .fcc, a: 3.63))
    for bad in ["Cu", "Cu=hcp:3", "Cu=fcc", "Cu=fcc:-1"] {
      #expect(throws: InspectError.self) { try MultiElementFilterMaps.Crystal.parse(bad) }
    }
  }
}
