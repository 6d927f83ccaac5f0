import SNNPCore
import Testing
import _SNNPTestSupport

/// Committee heads (mean energy, one backward pass) and the training-domain grade.
@Suite struct CommitteeTests {
  static let cases: [(Variant, Int)] = [Variant.network, .intSkip, .intAll].flatMap { v in
    [(v, 1), (v, 3)]
  }

  /// Forces of a committee equal −dE/dx of its mean energy by central differences.
  @Test(arguments: cases)
  func committeeForces_MatchNegativeEnergyGradient(variant: Variant, elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    let p = TestPotentials.committee(
      variant, elements: names, heads: 4, seed: UInt64(31 + elements))
    #expect(p.headCount == 4)
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    let e = Evaluator(p)
    let analytic = try e.evaluate(s).forces
    let err = relativeError(analytic, try FiniteDifference.forces(e, s))
    #expect(err < 1e-6, "\(variant), \(elements) elements: relative force error \(err)")
  }

  /// The committee's virial equals −dE/dε of its mean energy (triclinic cell, 3 elements).
  @Test(arguments: [Variant.network, .intAll])
  func committeeVirial_MatchesStrainDerivative(variant: Variant) throws {
    let p = TestPotentials.committee(variant, elements: ["Mo", "Nb", "Ta"], heads: 3, seed: 9)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 3, rattle: 0.15, shear: 0.08)
    try VirialCheck.run(p, s)
  }

  /// Energy, forces and atomic energies are the means over the heads run one at a time;
  /// σ_i is the standard deviation of the heads' regressor parts, σ_E that of their totals.
  @Test func committee_IsTheMeanOfItsHeads() throws {
    let p = TestPotentials.committee(.intAll, elements: ["Mo", "Nb"], heads: 3, seed: 5)
    let s = TestStructures.bcc(repeats: 2, elementCount: 2)
    let r = try Evaluator(p).evaluate(s, uncertainty: true)
    let heads = try (0..<3).map { try Evaluator(TestPotentials.head(p, $0)).evaluate(s) }
    #expect(abs(r.energy - heads.map(\.energy).reduce(0, +) / 3) < 1e-10 * abs(r.energy))
    for i in 0..<s.count {
      let meanForce = heads.map { $0.forces[i] }.reduce(.zero, +) / 3
      #expect(maxAbs(r.forces[i] - meanForce) < 1e-10)
      let parts = heads.map { $0.energyParts[i][1] }
      let mean = parts.reduce(0, +) / 3
      let sd = (parts.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
      #expect(abs(r.sigmas[i] - sd) < 1e-12)
      #expect(r.sigmas[i] > 0)
    }
    let totals = heads.map(\.energy)
    let mean = totals.reduce(0, +) / 3
    let spread = (totals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
    #expect(abs(r.energySpread - spread) < 1e-9)
  }

  /// A one-head potential has σ = 0 and its energies are unchanged by asking for it.
  @Test func singleHead_HasZeroSpread() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 2)
    let s = TestStructures.bcc(repeats: 2)
    let a = try Evaluator(p).evaluate(s)
    let b = try Evaluator(p).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(b.sigmas.allSatisfy { $0 == 0 } && b.sigmas.count == s.count)
    #expect(b.grades.isEmpty)  // no training domain
  }

  /// Calibrated on a set of structures: every training atom grades <= 1 (to the
  /// selection tolerance), the active atoms exactly 1; a strongly compressed cell grades
  /// far above 1 and flags its atoms as closer than the data's closest approach.
  @Test func grade_IsAboutOneInsideAndGrowsOutside() throws {
    var p = TestPotentials.committee(.intAll, elements: ["Mo", "Nb"], heads: 2, seed: 3)
    let train = (0..<6).map {
      TestStructures.bcc(
        a: 3.1 + 0.04 * Double($0), repeats: 2, elementCount: 2, rattle: 0.15, seed: UInt64(40 + $0)
      )
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let e = Evaluator(p)
    var largest = 0.0
    for s in train {
      let r = try e.evaluate(s, uncertainty: true)
      largest = max(largest, r.grades.max()!)
      #expect(r.closeFlags.allSatisfy { $0 == 0 })
    }
    #expect(largest <= TrainingDomain.insideGrade + 1e-9)
    #expect(abs(largest - 1) < 2e-3)
    for (c, block) in p.domain!.elements.enumerated() {
      for v in block.active {
        #expect(
          abs(e.grade(element: c, filters: v) - 1) < 1e-9 || e.grade(element: c, filters: v) < 1)
      }
    }
    let squeezed = try e.evaluate(
      TestStructures.bcc(a: 2.5, repeats: 2, elementCount: 2, rattle: 0.15, seed: 99),
      uncertainty: true)
    #expect(squeezed.grades.min()! > 2, "compressed cell grades \(squeezed.grades.min()!)")
    #expect(squeezed.closeFlags.allSatisfy { $0 == 1 })
  }

  /// The grade does not depend on the units of the filters: scaling a filter's splines
  /// (and the data it was calibrated on) leaves every grade the same.
  @Test func grade_IsInvariantToFilterScale() throws {
    var p = TestPotentials.make(.linear, elements: ["Mo"], threeBody: 2, twoBody: 1, seed: 8)
    let train = (0..<5).map {
      TestStructures.bcc(a: 3.1 + 0.05 * Double($0), repeats: 2, rattle: 0.2, seed: UInt64(60 + $0))
    }
    let probe = TestStructures.bcc(a: 2.9, repeats: 2, rattle: 0.25, seed: 5)
    p.domain = try TrainingDomain.measure(p, structures: train)
    let before = try Evaluator(p).evaluate(probe, uncertainty: true).grades
    var q = p
    var bank = q.rho[0]
    var spline = bank.splines[0]
    spline.parameters = spline.parameters.map { 1000 * $0 }
    bank.setSpline(0, spline)
    q.rho[0] = bank
    q.domain = try TrainingDomain.measure(q, structures: train)
    let after = try Evaluator(q).evaluate(probe, uncertainty: true).grades
    for (a, b) in zip(before, after) { #expect(abs(a - b) < 1e-6 * max(1, a), "\(a) vs \(b)") }
  }

  /// Too few distinct environments for the active set: a clear error, not a singular matrix.
  @Test func calibration_WithTooFewAtoms_Fails() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 2)
    let lone = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false], positions: [.zero], species: [0])
    #expect(throws: TrainingDomain.CalibrationError.self) {
      try TrainingDomain.measure(p, structures: [lone])
    }
  }
}

/// Three-body filters on a shorter cutoff than the two-body ones (`three_body_cutoff`).
@Suite struct ShortThreeBodyTests {
  @Test(arguments: [1, 3])
  func forces_MatchNegativeEnergyGradient(elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    let p = TestPotentials.make(.intAll, elements: names, seed: 12, threeBodyCutoff: 3.3)
    #expect(p.f[0].cutoff == 3.3 && p.cutoff == 4.2)
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    let e = Evaluator(p)
    let err = relativeError(try e.evaluate(s).forces, try FiniteDifference.forces(e, s))
    #expect(err < 1e-6, "relative force error \(err)")
  }
}
