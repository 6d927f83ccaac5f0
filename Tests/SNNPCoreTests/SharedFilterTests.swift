import SNNPCore
import SNNPTraining
import Testing
import _SNNPTestSupport

/// Filter-sharing mode (`Potential.sharedFilters`): one f, g and ρ bank for every
/// element, networks, biases and pair terms per element.
@Suite struct SharedFilterTests {
  static let names = ["Mo", "Nb", "Ta"]

  /// The element-resolved potential with every f/ρ bank a copy of the shared one and
  /// every g bank a copy of the shared g bank: it must give the same numbers.
  static func expanded(_ p: Potential) -> Potential {
    var q = p
    q.sharedFilters = false
    q.f = p.f.isEmpty ? [] : Array(repeating: p.f[0], count: p.elementCount)
    q.rho = p.rho.isEmpty ? [] : Array(repeating: p.rho[0], count: p.elementCount)
    q.g = p.g.isEmpty ? [] : Array(repeating: p.g[0], count: p.pairCount)
    #expect(q.validationProblem() == nil)
    return q
  }

  /// Forces equal −dE/dx by central differences, one and three elements.
  @Test(arguments: [(Variant.intAll, 1), (.intAll, 3), (.network, 3), (.intSkip, 3), (.linear, 3)])
  func forces_MatchNegativeEnergyGradient(variant: Variant, elements: Int) throws {
    let p = TestPotentials.make(
      variant, elements: Array(Self.names.prefix(elements)), seed: 23, sharedFilters: true)
    #expect(p.f.count == 1 && p.g.count == 1 && p.rho.count == 1)
    let s = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: elements, rattle: 0.2, shear: 0.05)
    try ForceCheck.run(p, s, label: "\(variant) with \(elements) elements")
  }

  /// The virial equals −dE/dε, three elements, triclinic cell.
  @Test func virial_MatchesNegativeStrainDerivative() throws {
    let p = TestPotentials.make(.intAll, elements: Self.names, seed: 29, sharedFilters: true)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 3, rattle: 0.15, shear: 0.08)
    try VirialCheck.run(p, s)
  }

  /// A shared-filter potential evaluates exactly like the element-resolved potential
  /// holding copies of its banks (energy, forces, virial, filters bit for bit).
  @Test func sharedEqualsExpandedCopies() throws {
    let p = TestPotentials.make(.intAll, elements: Self.names, seed: 31, sharedFilters: true)
    let q = Self.expanded(p)
    let s = TestStructures.bcc(a: 3.1, repeats: 2, elementCount: 3, rattle: 0.2, shear: 0.03)
    let a = try Evaluator(p).evaluate(s)
    let b = try Evaluator(q).evaluate(s)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces && a.virial == b.virial && a.filters == b.filters)
    // Not trivially so: another element's neighbours change the filters of an atom
    // (species-independent filters), while its network is its own.
    #expect(a.energy != 0 && Set(a.atomEnergies.map(\.bitPattern)).count == s.count)
  }

  /// The structure checks count one bank per role.
  @Test func validation_CountsOneBankPerRole() {
    var p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 3, sharedFilters: true)
    #expect(p.validationProblem() == nil)
    p.f.append(p.f[0])
    #expect(p.validationProblem() == "expected 1 f banks, found 2")
    var q = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 3)
    q.sharedFilters = true
    #expect(q.validationProblem() == "expected 1 f banks, found 2")
  }

  /// A committee on shared filters: the mean of heads equals head-by-head evaluation.
  @Test func committee_OnSharedFilters() throws {
    let p = TestPotentials.committee(
      .intAll, elements: ["Mo", "Nb"], heads: 3, seed: 9, sharedFilters: true)
    let s = TestStructures.bcc(a: 3.1, repeats: 2, elementCount: 2, rattle: 0.2)
    let r = try Evaluator(p).evaluate(s, uncertainty: true)
    let heads = try (0..<3).map { try Evaluator(TestPotentials.head(p, $0)).evaluate(s).energy }
    #expect(abs(r.energy - heads.reduce(0, +) / 3) < 1e-10 * abs(r.energy))
    #expect(r.sigmas.allSatisfy { $0 > 0 })
  }
}

/// `GradientWorker.filtersFrozen` (frozen-filter fits) leaves every gradient but the
/// f, g and ρ ones unchanged, and those at 0.
@Suite struct FrozenFilterGradientTests {
  @Test func frozenWorker_SkipsOnlyFilterGradients() throws {
    let p = TestPotentials.make(
      .intAll, elements: ["Mo", "Nb"], threeBody: 2, twoBody: 1, seed: 41, sharedFilters: true)
    let layout = ParameterLayout(template: p)
    let theta = layout.parameters(of: p)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 2, rattle: 0.2)
    let r = try Evaluator(p).evaluate(s)
    let prepared = try PreparedStructure(
      s, energy: r.energy + 3, forces: r.forces.map { $0 + SIMD3(0.1, -0.2, 0.05) }, stress: nil,
      cutoff: p.cutoff,
      elementCount: 2)
    func gradient(frozen: Bool) -> [Double] {
      let w = GradientWorker(layout: layout, parameters: theta)
      w.filtersFrozen = frozen
      var g = [Double](repeating: 0, count: layout.count)
      g.withUnsafeMutableBufferPointer {
        _ = w.accumulate(
          prepared, energyCoefficient: 10, forceCoefficient: 1, stressCoefficient: 0,
          gradient: $0.baseAddress!)
        w.flush(into: $0.baseAddress!)
      }
      return g
    }
    let full = gradient(frozen: false)
    let frozen = gradient(frozen: true)
    var filterIndices = Set<Int>()
    for slot in layout.banks where slot.role != .pair {
      filterIndices.formUnion(slot.offset..<(slot.offset + slot.parameterCount))
    }
    #expect(filterIndices.count == 2 * 8 + 2 * 9 + 7)  // f 2×8 knots, g 2×(7+2), rho 1×7
    for k in 0..<layout.count {
      if filterIndices.contains(k) {
        #expect(frozen[k] == 0)
      } else {
        #expect(frozen[k] == full[k], "θ[\(k)]")
      }
    }
    #expect(filterIndices.contains { full[$0] != 0 })
  }
}
