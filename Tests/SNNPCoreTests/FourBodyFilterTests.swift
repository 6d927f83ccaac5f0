import SNNPCore
import SNNPTraining
import Testing
import _SNNPTestSupport

/// The four-body moment filters (`Potential.fourBodySplines`): with m_a = Σ_j h_a(r_ij) û_ij
/// and M_a = Σ_j h_a(r_ij) (û_ij û_ijᵀ − I/3), G4[2a] = m_a·M_a·m_a and G4[2a+1] = tr(M_a³).
@Suite struct FourBodyFilterTests {
  static let names = ["Mo", "Nb", "Ta"]

  /// The kernel's G4 equals the moments summed directly over the neighbours, and the
  /// other filters are those of the same potential without the four-body part.
  @Test(arguments: [1, 3])
  func filters_EqualDirectMoments(elements: Int) throws {
    let p = TestPotentials.make(
      .intAll, elements: Array(Self.names.prefix(elements)), twoBody: 1, seed: 61,
      threeBodyCutoff: 3.6, fourBody: 3)
    #expect(p.filterCount == p.threeBodyCount + 1 + 6 && p.h[0].count == 3)
    let s = TestStructures.bcc(a: 3.1, repeats: 2, elementCount: elements, rattle: 0.2, shear: 0.05)
    let computed = try Evaluator(p).evaluate(s).filters
    var plain = p
    plain.fourBodySplines = 0
    plain.h = []
    plain.regressors = TestPotentials.make(
      .intAll, elements: Array(Self.names.prefix(elements)), twoBody: 1, seed: 61,
      threeBodyCutoff: 3.6
    ).regressors
    let without = try Evaluator(plain).evaluate(s).filters
    let atoms = try AtomsWithImages(s, cutoff: p.cutoff)
    let x = atoms.positions
    let n32 = p.threeBodyCount + p.twoBodyCount
    var worst = 0.0
    var largest = 0.0
    for i in 0..<atoms.localCount {
      #expect(Array(computed[i][0..<n32]) == without[i])
      var m = [SIMD3<Double>](repeating: .zero, count: 3)
      var M = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 3)
      for j in 0..<atoms.totalCount where j != i {
        let d = SIMD3(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2])
        let r = dot(d, d).squareRoot()
        let bank = p.h[p.hBankIndex(Int(atoms.species[j]))]
        guard r < bank.cutoff else { continue }
        let u = d / r
        let h = bank.evaluateAll(r).values
        for a in 0..<3 {
          m[a] += h[a] * u
          for k in 0..<3 {
            for l in 0..<3 { M[a][3 * k + l] += h[a] * (u[k] * u[l] - (k == l ? 1.0 / 3 : 0)) }
          }
        }
      }
      for a in 0..<3 {
        var mMm = 0.0
        var trace = 0.0
        for k in 0..<3 {
          for l in 0..<3 {
            mMm += m[a][k] * M[a][3 * k + l] * m[a][l]
            for q in 0..<3 { trace += M[a][3 * k + l] * M[a][3 * l + q] * M[a][3 * q + k] }
          }
        }
        for (offset, expected) in [(0, mMm), (1, trace)] {
          worst = max(worst, abs(computed[i][n32 + 2 * a + offset] - expected))
          largest = max(largest, abs(expected))
        }
      }
    }
    #expect(largest > 1e-3)
    #expect(worst < 1e-12 * largest, "worst |ΔG4| \(worst), largest G4 \(largest)")
  }

  /// In a perfect bcc crystal every atom's m and M vanish by cubic symmetry, so G4 is 0;
  /// a rattled crystal's is not.
  @Test func perfectCubicCrystal_HasZeroFourBodyFilters() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 67, fourBody: 2)
    let n32 = p.threeBodyCount + p.twoBodyCount
    // TestStructures.bcc is slightly orthorhombic; this cell is cubic.
    let a = 3.15
    var positions: [SIMD3<Double>] = []
    for i in 0..<2 {
      for j in 0..<2 {
        for k in 0..<2 {
          let corner = a * SIMD3(Double(i), Double(j), Double(k))
          positions += [corner, corner + SIMD3(repeating: a / 2)]
        }
      }
    }
    let crystal = Structure(
      cell: [SIMD3(2 * a, 0, 0), SIMD3(0, 2 * a, 0), SIMD3(0, 0, 2 * a)], pbc: [true, true, true],
      positions: positions, species: [Int](repeating: 0, count: 16))
    let perfect = try Evaluator(p).evaluate(crystal).filters
    let rattled = try Evaluator(p).evaluate(
      TestStructures.bcc(a: 3.15, repeats: 2, rattle: 0.15)
    ).filters
    let zero = perfect.map { $0[n32...].map(abs).max()! }.max()!
    let moved = rattled.map { $0[n32...].map(abs).max()! }.max()!
    #expect(zero < 1e-12 && moved > 1e-4, "perfect \(zero), rattled \(moved)")
  }

  /// Forces equal −dE/dx by central differences: every variant, 1 and 3 elements, shared
  /// filters, and with the tensor-product three-body form.
  @Test(arguments: [
    (Variant.intAll, 1, false, false), (.intAll, 3, false, false), (.network, 2, false, false),
    (.intSkip, 2, false, false), (.linear, 3, false, false), (.embedding, 2, false, false),
    (.intAll, 3, true, false), (.intAll, 2, false, true),
  ])
  func forces_MatchNegativeEnergyGradient(
    variant: Variant, elements: Int, shared: Bool, tensor: Bool
  ) throws {
    let p = TestPotentials.make(
      variant, elements: Array(Self.names.prefix(elements)), seed: 71, threeBodyCutoff: 3.7,
      sharedFilters: shared, threeBodyBasis: tensor ? ThreeBodyBasis(radial: 2, angular: 2) : nil,
      fourBody: 3)
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    try ForceCheck.run(p, s, label: "\(variant) with \(elements) elements")
  }

  /// The virial equals −dE/dε (so the stress is right), three elements, triclinic cell.
  @Test func virial_MatchesNegativeStrainDerivative() throws {
    let p = TestPotentials.make(.intAll, elements: Self.names, seed: 73, fourBody: 2)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 3, rattle: 0.15, shear: 0.08)
    try VirialCheck.run(p, s)
  }

  /// The loss gradient (energy, force and stress terms, h coefficients included) equals
  /// central finite differences.
  @Test(arguments: [
    (Variant.intAll, 1, false, false), (.intAll, 2, false, false), (.network, 2, false, false),
    (.linear, 1, false, false), (.intSkip, 3, true, false), (.intAll, 1, false, true),
  ])
  func lossGradient_MatchesFiniteDifferences(
    variant: Variant, elements: Int, shared: Bool, tensor: Bool
  ) throws {
    let p = TestPotentials.make(
      variant, elements: Array(Self.names.prefix(elements)), twoBody: 1, hidden: [4, 3], seed: 79,
      threeBodyCutoff: 3.5, sharedFilters: shared,
      threeBodyBasis: tensor ? ThreeBodyBasis(radial: 2, angular: 2) : nil, fourBody: 2)
    try GradientCheck.run(p, elements: elements)
  }

  /// Validation names h banks that do not match the spline count.
  @Test func validation_ChecksBanks() {
    var p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], fourBody: 2)
    #expect(p.validationProblem() == nil && p.filterCount == 3 + 2 + 4)
    p.fourBodySplines = 3
    #expect(p.validationProblem() == "each h bank needs 3 splines, found 2")
    p.h = [p.h[0]]
    #expect(p.validationProblem() == "expected 2 h banks, found 1")
  }
}
