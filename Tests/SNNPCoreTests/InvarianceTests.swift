import SNNPCore
import Testing
import _SNNPTestSupport

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct InvarianceTests {
  let potential = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 3)
  let structure = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 2, rattle: 0.15, shear: 0.06)

  func energy(_ s: Structure) throws -> Double { try Evaluator(potential).evaluate(s).energy }

  @Test func energy_InvariantUnderTranslation() throws {
    var moved = structure
    moved.positions = moved.positions.map { $0 + SIMD3(0.37, -1.91, 12.5) }
    #expect(abs(try energy(moved) - energy(structure)) < 1e-10)
  }

  @Test func energyAndForces_CovariantUnderRotation() throws {
    let (c, s) = (cos(0.7), sin(0.7))
    let (c2, s2) = (cos(-1.1), sin(-1.1))
    func rotate(_ v: SIMD3<Double>) -> SIMD3<Double> {
      let a = SIMD3(c * v.x - s * v.y, s * v.x + c * v.y, v.z)
      return SIMD3(a.x, c2 * a.y - s2 * a.z, s2 * a.y + c2 * a.z)
    }
    var rotated = structure
    rotated.cell = structure.cell.map(rotate)
    rotated.positions = structure.positions.map(rotate)
    let e = Evaluator(potential)
    let a = try e.evaluate(structure)
    let b = try e.evaluate(rotated)
    #expect(abs(a.energy - b.energy) < 1e-10)
    for (fa, fb) in zip(a.forces, b.forces) { #expect(maxAbs(rotate(fa) - fb) < 1e-10) }
  }

  @Test func energy_InvariantUnderPermutation() throws {
    var permuted = structure
    let order = Array((0..<structure.count).reversed())
    permuted.positions = order.map { structure.positions[$0] }
    permuted.species = order.map { structure.species[$0] }
    let e = Evaluator(potential)
    let a = try e.evaluate(structure)
    let b = try e.evaluate(permuted)
    #expect(abs(a.energy - b.energy) < 1e-10)
    for (k, i) in order.enumerated() { #expect(maxAbs(a.forces[i] - b.forces[k]) < 1e-10) }
  }

  @Test func energy_InvariantUnderChoiceOfPeriodicImage() throws {
    var shifted = structure
    shifted.positions[0] += structure.cell[0] - 2 * structure.cell[2]
    shifted.positions[3] -= structure.cell[1]
    #expect(abs(try energy(shifted) - energy(structure)) < 1e-10)
  }

  @Test func supercell_HasSameEnergyPerAtom() throws {
    // A cell far smaller than the cutoff (one bcc cell, 2 atoms, 3.2 Å vs 4.2 Å).
    let small = TestStructures.bcc(a: 3.2, repeats: 1, elementCount: 2, rattle: 0.1, shear: 0.03)
    let big = TestStructures.supercell(small, 2, 2, 2)
    let e = Evaluator(potential)
    let a = try e.evaluate(small)
    let b = try e.evaluate(big)
    #expect(abs(a.energy / 2 - b.energy / 16) < 1e-10)
    for k in 0..<16 { #expect(maxAbs(b.forces[k] - a.forces[k % 2]) < 1e-10) }
  }

  @Test func isolatedAtom_HasBiasEnergy() throws {
    for variant in [Variant.linear, .intSkip, .intAll] {
      let p = TestPotentials.make(variant, elements: ["Mo", "Nb"], seed: 9)
      let s = Structure(
        cell: [.zero, .zero, .zero], pbc: [false, false, false], positions: [SIMD3(1, 2, 3)],
        species: [1])
      let r = try Evaluator(p).evaluate(s)
      // With G = 0 the skip connection gives 0 and the network gives N(0) (softplus(N(0)) for int. all).
      var expected = p.bias[1]
      if case .network(let net) = p.regressors[1] {
        let z = net.valueAndGradient([Double](repeating: 0, count: p.filterCount)).value
        expected += p.softplusOutput ? softplus(z) : z
      }
      #expect(abs(r.energy - expected) < 1e-14, "\(variant)")
      #expect(r.forces[0] == .zero)
    }
    // s-MEAM: U(0) − U(0) = 0.
    let smeam = TestPotentials.make(.embedding, elements: ["Si"])
    let s = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false], positions: [.zero], species: [0])
    #expect(try Evaluator(smeam).evaluate(s).energy == 0)
  }

  /// Energy and forces are continuous as a neighbour crosses the outer cutoff and
  /// the inner cutoff of the pair term (radial splines end with value 0 and slope 0).
  @Test(arguments: [4.2, 2.6])
  func energyAndForces_ContinuousAcrossCutoff(cut: Double) throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], cutoff: 4.2, pairCutoff: 2.6, seed: 4)
    let e = Evaluator(p)
    // A trimer: atom 2 moves along x across `cut` from atom 0; atom 1 keeps the triplet alive.
    func trimer(_ r: Double) -> Structure {
      Structure(
        cell: [.zero, .zero, .zero], pbc: [false, false, false],
        positions: [.zero, SIMD3(0.3, 2.5, 0.1), SIMD3(r, 0.2, 0)], species: [0, 0, 0])
    }
    let d = 0.2
    let r0 = (cut * cut - d * d).squareRoot()  // |atom2 − atom0| = cut exactly at r0
    // Straddle the cutoff by ±1e-9 Å: a smooth energy changes by ~1e-9 × force there,
    // a missing pin (value or slope not 0 at the cutoff) would jump by O(0.1).
    let inside = try e.evaluate(trimer(r0 - 1e-9))
    let outside = try e.evaluate(trimer(r0 + 1e-9))
    #expect(abs(inside.energy - outside.energy) < 1e-8, "energy jump at \(cut)")
    for (a, b) in zip(inside.forces, outside.forces) {
      #expect(maxAbs(a - b) < 1e-6, "force jump at \(cut)")
    }
    // And the spline really is active just inside: the energy differs from the far-away value.
    let far = try e.evaluate(trimer(r0 - 0.3))
    #expect(abs(far.energy - inside.energy) > 1e-6)
  }
}
