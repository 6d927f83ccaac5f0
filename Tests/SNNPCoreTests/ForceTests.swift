import SNNPCore
import Testing
import _SNNPTestSupport

/// Largest |a − b| over all components divided by the largest |b|.
func relativeError(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
  var num = 0.0
  var den = 0.0
  for (x, y) in zip(a, b) {
    num = max(num, maxAbs(x - y))
    den = max(den, maxAbs(y))
  }
  return num / den
}

@Suite struct ForceTests {
  static let cases: [(Variant, Int)] = Variant.allCases.flatMap { v in [(v, 1), (v, 2), (v, 3)] }

  /// Forces equal −dE/dx by central differences for every variant, with one, two and three elements.
  @Test(arguments: cases)
  func forces_MatchNegativeEnergyGradient(variant: Variant, elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    let p = TestPotentials.make(variant, elements: names, seed: UInt64(17 + elements))
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    try ForceCheck.run(p, s, label: "\(variant) with \(elements) elements")
  }

  /// The virial equals −dE/dε (symmetric strain) for every variant, triclinic cell.
  @Test(arguments: Variant.allCases)
  func virial_MatchesNegativeStrainDerivative(variant: Variant) throws {
    let p = TestPotentials.make(variant, elements: ["Mo", "Nb"], seed: 5)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 2, rattle: 0.15, shear: 0.08)
    try VirialCheck.run(p, s, label: "\(variant)")
    // The total virial of a rotation-invariant potential is symmetric: xy/yx etc. agree
    // with the symmetric finite-difference strain above, so checking 6 components suffices.
  }

  /// The linear and regressor parts of each atomic energy sum to it; the linear part
  /// is b + ½Σφ + ΣG (skip connection), recomputed here from the filters.
  @Test func energyParts_SplitAtomEnergies() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"])
    let s = TestStructures.bcc(repeats: 2, elementCount: 2)
    let r = try Evaluator(p).evaluate(s)
    var pairOnly = p
    pairOnly.regressors = [.none, .none]
    pairOnly.skipConnection = false
    let pairAndBias = try Evaluator(pairOnly).evaluate(s).atomEnergies
    for i in 0..<s.count {
      #expect(abs(r.energyParts[i][0] + r.energyParts[i][1] - r.atomEnergies[i]) < 1e-12)
      #expect(abs(r.energyParts[i][0] - (pairAndBias[i] + r.filters[i].reduce(0, +))) < 1e-12)
      #expect(r.energyParts[i][1] > 0)  // softplus output
    }
  }

  /// Per-atom energies sum to the total.
  @Test func atomEnergies_SumToTotal() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"])
    let r = try Evaluator(p).evaluate(TestStructures.bcc(repeats: 2, elementCount: 2))
    #expect(abs(r.atomEnergies.reduce(0, +) - r.energy) < 1e-10 * abs(r.energy))
  }
}
