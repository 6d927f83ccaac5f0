import Foundation
import SNNPCore
import Testing
import _SNNPTestSupport

/// The unswitched ZBL energy written out from Ziegler, Biersack & Littmark (1985),
/// independently of `ZBLPair`: Z1 Z2 e²/r Σ c_k exp(−d_k r / a), a = 0.4685 / (Z1^0.23 + Z2^0.23) Å.
func zblReference(_ z1: Double, _ z2: Double, _ r: Double) -> Double {
  let a = 0.46850 / (pow(z1, 0.23) + pow(z2, 0.23))
  let x = r / a
  let screening =
    0.18175 * exp(-3.19980 * x) + 0.50986 * exp(-0.94229 * x) + 0.28022 * exp(-0.40290 * x)
    + 0.02817 * exp(-0.20162 * x)
  return 14.399645 * z1 * z2 / r * screening
}

@Suite struct CoreRepulsionTests {
  let pair = ZBLPair(z1: 42, z2: 41, inner: 1.2, outer: 2.0)

  /// Below `inner` the switched term is the ZBL energy plus one constant; its slope
  /// is the ZBL slope (central differences of the reference formula).
  @Test func belowInner_IsZBLPlusAConstant() {
    let shift = pair.evaluate(0.5).energy - zblReference(42, 41, 0.5)
    for r in [0.3, 0.7, 1.0, 1.19] {
      #expect(
        abs(pair.evaluate(r).energy - zblReference(42, 41, r) - shift) < 1e-9
          * zblReference(42, 41, r))
      let h = 1e-6
      let slope = (zblReference(42, 41, r + h) - zblReference(42, 41, r - h)) / (2 * h)
      #expect(abs(pair.evaluate(r).derivative - slope) < 1e-6 * abs(slope))
    }
    #expect(shift < 0)  // the switch lowers the core so that it reaches zero at outer
  }

  /// Energy, slope and curvature reach zero at `outer`, and the slope is dE/dr throughout.
  @Test func switch_IsSmoothAndConsistent() {
    let h = 1e-6
    let end = pair.evaluate(2.0 - 1e-7)
    #expect(abs(end.energy) < 1e-9 && abs(end.derivative) < 1e-6)
    func curvature(_ r: Double) -> Double {
      (pair.evaluate(r + 1e-5).derivative - pair.evaluate(r - 1e-5).derivative) / 2e-5
    }
    // E'' falls linearly to zero at outer: 2e-5 Å before it, it is tiny next to its value inside.
    #expect(
      abs(curvature(2.0 - 2e-5)) < 1e-4 * abs(curvature(1.6)),
      "\(curvature(2.0 - 2e-5)) vs \(curvature(1.6))")
    for r in stride(from: 0.4, through: 1.98, by: 0.06) {
      let fd = (pair.evaluate(r + h).energy - pair.evaluate(r - h).energy) / (2 * h)
      #expect(abs(pair.evaluate(r).derivative - fd) < 1e-6 * max(1, abs(fd)), "r = \(r)")
      #expect(pair.evaluate(r).derivative < 0, "repulsive at r = \(r)")
    }
  }

  /// A dimer's energy rises by exactly the pair's switched ZBL term when the core is added.
  @Test func dimer_GetsThePairTerm() throws {
    var p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 3)
    let plain = Evaluator(p)
    p.core = CoreRepulsion(atomicNumbers: [42, 41], inner: 1.2, outer: 2.0)
    let cored = Evaluator(p)
    for r in [0.8, 1.5, 1.99, 2.5] {
      let dimer = Structure(
        cell: [.zero, .zero, .zero], pbc: [false, false, false],
        positions: [.zero, SIMD3(r, 0, 0)], species: [0, 1])
      let added = try cored.evaluate(dimer).energy - plain.evaluate(dimer).energy
      let expected = r < 2.0 ? pair.evaluate(r).energy : 0
      #expect(
        abs(added - expected) < 1e-9 * max(1, abs(expected)), "r = \(r): \(added) vs \(expected)")
    }
  }

  /// Forces and virial stay −dE/dx and −dE/dε with the core active (compressed cell:
  /// nearest neighbours at ~1.9 Å, some below `inner`).
  @Test(arguments: [Variant.intAll, .linear])
  func forcesAndVirial_MatchFiniteDifferences(variant: Variant) throws {
    var p = TestPotentials.make(variant, elements: ["Mo", "Nb"], seed: 9)
    p.core = CoreRepulsion(atomicNumbers: [42, 41], inner: 1.7, outer: 2.1)
    let s = TestStructures.bcc(a: 2.2, repeats: 2, elementCount: 2, rattle: 0.25, shear: 0.05)
    let e = Evaluator(p)
    let r = try e.evaluate(s)
    let err = relativeError(r.forces, try FiniteDifference.forces(e, s))
    #expect(err < 1e-6, "relative force error \(err)")
    let fd = try FiniteDifference.virial(e, s)
    let scale = r.virial.map(abs).max()!
    for c in 0..<6 {
      #expect(abs(r.virial[c] - fd[c]) < 1e-6 * scale, "virial \(c): \(r.virial[c]) vs \(fd[c])")
    }
  }

  @Test func periodicTable_GivesAtomicNumbers() {
    #expect(PeriodicTable.atomicNumber("H") == 1)
    #expect(PeriodicTable.atomicNumber("Li") == 3)
    #expect(PeriodicTable.atomicNumber("Si") == 14)
    #expect(PeriodicTable.atomicNumber("Mo") == 42)
    #expect(PeriodicTable.atomicNumber("W") == 74)
    #expect(PeriodicTable.atomicNumber("Og") == 118)
    #expect(PeriodicTable.atomicNumber("Xx") == nil)
  }
}
