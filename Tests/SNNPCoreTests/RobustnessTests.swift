import SNNPCore
import Testing
import _SNNPTestSupport

/// Issue 25: geometry that used to crash, hang or give NaN gives a clear error.
@Suite struct GeometryRobustnessTests {
  let potential = TestPotentials.make(.intAll, elements: ["Mo"], seed: 5)

  func message(_ s: Structure, cutoff: Double? = nil) -> String? {
    do {
      if let cutoff {
        _ = try AtomsWithImages(s, cutoff: cutoff)
      } else {
        _ = try Evaluator(potential).evaluate(s)
      }
      return nil
    } catch {
      return "\(error)"
    }
  }

  func cubic(_ a: Double, _ positions: [SIMD3<Double>]) -> Structure {
    Structure(
      cell: [SIMD3(a, 0, 0), SIMD3(0, a, 0), SIMD3(0, 0, a)], pbc: [true, true, true],
      positions: positions,
      species: positions.map { _ in 0 })
  }

  @Test func nearSingularCell_IsRejected() {
    let s = Structure(
      cell: [SIMD3(9.45, 0, 0), SIMD3(0, 9.45, 0), SIMD3(9.45, 9.45, 1e-9)],
      pbc: [true, true, true],
      positions: [.zero], species: [0])
    let m = message(s) ?? ""
    #expect(m.hasPrefix("the cell is singular or nearly so (volume 8.9302"), "\(m)")
  }

  @Test func oneAtomInATinyCube_IsRejectedNotHung() {
    let m = message(cubic(0.1, [.zero]), cutoff: 5.2) ?? ""
    #expect(
      m.contains(
        "about 588977 neighbours per atom within the cutoff 5.2 Å, more than the 3000 supported"),
      "\(m)")
  }

  @Test func hugeCutoffs_AreRejected() {
    let s = cubic(3.1, [.zero, SIMD3(1.55, 1.55, 1.55)])
    for c in [1e10, 1e19, 1e20, 1e300, Double.infinity, .nan] {
      let m = message(s, cutoff: c) ?? ""
      #expect(m.hasPrefix("the cutoff ") && m.hasSuffix(" Å is outside (0, 30.0] Å"), "\(c): \(m)")
    }
  }

  @Test func imageCount_IsBoundedWithoutOverflow() {
    // A thin but regular cell: faces 1e-7 Å apart along c need 5e7 layers each way.
    let s = Structure(
      cell: [SIMD3(10, 0, 0), SIMD3(0, 10, 0), SIMD3(0, 0, 1e-7)], pbc: [false, false, true],
      positions: [.zero], species: [0])
    let m = message(s, cutoff: 5) ?? ""
    #expect(
      m
        == "the cell is too small for the cutoff 5.0 Å: its faces along cell vector 3 are 1e-07 Å apart, which needs more than 20000000 periodic images of the 1 atoms",
      "\(m)")
  }

  @Test func coincidentAtoms_NameBothAtoms() {
    let m = message(cubic(5, [SIMD3(1, 1, 1), SIMD3(3, 3, 3), SIMD3(1, 1, 1)])) ?? ""
    #expect(m == "atoms 1 and 3 are at the same position (1.0, 1.0, 1.0) Å, distance 0.0 Å", "\(m)")
  }

  @Test func slabWithZeroCVector_Works() throws {
    // ASE writes pbc T T F slabs with a zero c vector; that direction is not periodic.
    let slab = Structure(
      cell: [SIMD3(3.1, 0, 0), SIMD3(0, 3.1, 0), .zero], pbc: [true, true, false],
      positions: [.zero, SIMD3(1.55, 1.55, 1.55)], species: [0, 0])
    var reference = slab
    reference.cell[2] = SIMD3(0, 0, 20)
    let e = try Evaluator(potential).evaluate(slab).energy
    let r = try Evaluator(potential).evaluate(reference).energy
    #expect(abs(e - r) <= 1e-12 * abs(r))
  }

  @Test func farAwayAtoms_AreRejected() {
    let s = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false],
      positions: [.zero, SIMD3(1e300, 0, 0)], species: [0, 0])
    #expect(
      message(s)
        == "atom 2 is at SIMD3<Double>(1e+300, 0.0, 0.0) Å: expected finite coordinates within 1e8 Å of the origin"
    )
  }
}
