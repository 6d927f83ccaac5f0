import SNNPCore
import SNNPTraining
import Testing
import _SNNPTestSupport

/// The tensor-product three-body form (`Potential.threeBodyBasis`):
/// G3[(a,b,c)] = ½ Σ_{j≠k} f_a(r_ij) f_b(r_ik) g_c(cos θ_jik).
@Suite struct TensorFilterTests {
  static let names = ["Mo", "Nb", "Ta"]

  /// The kernel's filters equal a direct double sum over neighbour pairs.
  @Test(arguments: [1, 3])
  func filters_EqualDirectDoubleSum(elements: Int) throws {
    let basis = ThreeBodyBasis(radial: 3, angular: 2)
    let p = TestPotentials.make(
      .intAll, elements: Array(Self.names.prefix(elements)), twoBody: 1, seed: 51,
      threeBodyCutoff: 3.6,
      threeBodyBasis: basis)
    #expect(p.threeBodyCount == 12 && p.f[0].count == 3 && p.g[0].count == 2)
    let s = TestStructures.bcc(a: 3.1, repeats: 2, elementCount: elements, rattle: 0.2, shear: 0.05)
    let computed = try Evaluator(p).evaluate(s).filters
    let atoms = try AtomsWithImages(s, cutoff: p.cutoff)
    let x = atoms.positions
    var worst = 0.0
    var largest = 0.0
    for i in 0..<atoms.localCount {
      var neighbors: [(r: Double, u: SIMD3<Double>, c: Int)] = []
      for j in 0..<atoms.totalCount where j != i {
        let d = SIMD3(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2])
        let r = dot(d, d).squareRoot()
        let c = Int(atoms.species[j])
        if r < p.f[p.fBankIndex(c)].cutoff { neighbors.append((r, d / r, c)) }
      }
      var expected = [Double](repeating: 0, count: p.threeBodyCount)
      for (jn, j) in neighbors.enumerated() {
        for (kn, k) in neighbors.enumerated() where kn != jn {
          let fj = p.f[p.fBankIndex(j.c)].evaluateAll(j.r).values
          let fk = p.f[p.fBankIndex(k.c)].evaluateAll(k.r).values
          let g = p.g[p.gBankIndex(j.c, k.c)].evaluateAll(dot(j.u, k.u)).values
          for a in 0..<3 {
            for b in a..<3 {
              for c in 0..<2 { expected[basis.filter(a, b, c)] += 0.5 * fj[a] * fk[b] * g[c] }
            }
          }
        }
      }
      for m in 0..<p.threeBodyCount {
        worst = max(worst, abs(computed[i][m] - expected[m]))
        largest = max(largest, abs(expected[m]))
      }
    }
    #expect(largest > 0.01)
    #expect(worst < 1e-12 * largest, "worst |ΔG| \(worst), largest G \(largest)")
  }

  /// Filter (a, b, c) is (b, a, c): the index map is symmetric and covers 0..<N3 once.
  @Test func basisIndex_IsSymmetricAndDense() {
    let basis = ThreeBodyBasis(radial: 4, angular: 3)
    var seen = Set<Int>()
    for a in 0..<4 {
      for b in 0..<4 {
        for c in 0..<3 {
          #expect(basis.filter(a, b, c) == basis.filter(b, a, c))
          if a <= b {
            seen.insert(basis.filter(a, b, c))
            #expect(basis.components(basis.filter(a, b, c)) == (a, b, c))
          }
        }
      }
    }
    #expect(seen == Set(0..<30) && basis.filterCount == 30)
  }

  /// Forces equal −dE/dx by central differences: every variant, 1 and 3 elements, shared filters.
  @Test(arguments: [
    (Variant.intAll, 1, false), (.intAll, 3, false), (.network, 3, false), (.intSkip, 2, false),
    (.linear, 3, false),
    (.embedding, 2, false), (.intAll, 3, true),
  ])
  func forces_MatchNegativeEnergyGradient(variant: Variant, elements: Int, shared: Bool) throws {
    let p = TestPotentials.make(
      variant, elements: Array(Self.names.prefix(elements)), seed: 23, threeBodyCutoff: 3.7,
      sharedFilters: shared,
      threeBodyBasis: ThreeBodyBasis(radial: 3, angular: 3))
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    try ForceCheck.run(p, s, label: "\(variant) with \(elements) elements")
  }

  /// The virial equals −dE/dε (so the stress is right), three elements, triclinic cell.
  @Test func virial_MatchesNegativeStrainDerivative() throws {
    let p = TestPotentials.make(
      .intAll, elements: Self.names, seed: 29, threeBodyBasis: ThreeBodyBasis(radial: 2, angular: 4)
    )
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 3, rattle: 0.15, shear: 0.08)
    try VirialCheck.run(p, s)
  }

  /// The loss gradient (energy, force and stress terms) equals central finite differences.
  @Test(arguments: [
    (Variant.intAll, 1, false), (.intAll, 2, false), (.network, 2, false), (.linear, 1, false),
    (.intSkip, 3, true),
  ])
  func lossGradient_MatchesFiniteDifferences(variant: Variant, elements: Int, shared: Bool) throws {
    let p = TestPotentials.make(
      variant, elements: Array(Self.names.prefix(elements)), twoBody: 1, hidden: [4, 3], seed: 37,
      threeBodyCutoff: 3.5,
      sharedFilters: shared, threeBodyBasis: ThreeBodyBasis(radial: 2, angular: 2))
    try GradientCheck.run(p, elements: elements)
  }

  /// Validation names a basis that does not match the filter count or bank sizes.
  @Test func validation_ChecksBasisAgainstCounts() {
    var p = TestPotentials.make(
      .intAll, elements: ["Mo"], threeBodyBasis: ThreeBodyBasis(radial: 2, angular: 3))
    #expect(p.validationProblem() == nil && p.threeBodyCount == 9)
    p.threeBodyBasis = ThreeBodyBasis(radial: 3, angular: 3)
    #expect(
      p.validationProblem()
        == "a three-body basis of 3 radial and 3 angular splines makes 18 filters, not 9")
    p.threeBodyBasis = ThreeBodyBasis(radial: 1, angular: 9)
    #expect(p.validationProblem() == "each f bank needs 1 splines, found 2")
  }
}
