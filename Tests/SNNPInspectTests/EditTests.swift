import SNNPCore
import SNNPFormat
import SNNPInspect
import Testing
import _SNNPTestSupport

@Suite struct EditTests {
  /// Removing filters from Mo's network changes Mo atoms' energies and leaves Nb atoms' energies bit-identical.
  @Test func removeFilters_ChangesOnlyThatElement() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 3)
    let s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 2, rattle: 0.15)
    let before = try Evaluator(p).evaluate(s).atomEnergies
    let q = try PotentialEdit.removeFilters(p, element: "Mo", filters: [1, 3])
    let after = try Evaluator(q).evaluate(s).atomEnergies
    var moChange = 0.0
    for i in 0..<s.count {
      if s.species[i] == 1 {
        #expect(after[i] == before[i], "Nb atom \(i) changed: \(before[i]) -> \(after[i])")
      } else {
        moChange = max(moChange, abs(after[i] - before[i]))
      }
    }
    #expect(moChange > 1e-6, "Mo energies must change, max change \(moChange)")
    // The zeroed weights are exactly the columns 0 and 2 of Mo's first layer.
    guard case .network(let net) = q.regressors[0], case .network(let old) = p.regressors[0] else {
      Issue.record("expected networks")
      return
    }
    let l = net.layers[0]
    for o in 0..<l.outputs {
      #expect(l.weights[o * l.inputs + 0] == 0 && l.weights[o * l.inputs + 2] == 0)
      #expect(l.weights[o * l.inputs + 1] == old.layers[0].weights[o * l.inputs + 1])
    }
    // The edited potential writes a valid file that reads back identically, with the meta line.
    let file = PotentialEdit.recording(PotentialFile(potential: p), q, description: "test edit")
    let back = try PotentialFile.parse(file.text(), file: "edited.snnp")
    #expect(back.potential == q)
    #expect(back.metadata.last == .init(key: "edit", value: "test edit"))
  }

  /// With --linear-only, E_i = b + ½ Σ_j φ(r_ij) + Σ_a G_i[a] to round-off (pair sum done by brute force here).
  @Test func linearOnly_IsBiasPlusPairPlusFilterSum() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 4)
    let q = PotentialEdit.linearOnly(p)
    #expect(q.regressors == [.none, .none] && q.skipConnection && q.pair != nil)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: 2, rattle: 0.2)
    let r = try Evaluator(q).evaluate(s)
    var maxErr = 0.0
    var pairMax = 0.0
    for i in 0..<s.count {
      var pair = 0.0
      for j in 0..<s.count {
        for a in -2...2 {
          for b in -2...2 {
            for c in -2...2 {
              let shift = Double(a) * s.cell[0] + Double(b) * s.cell[1] + Double(c) * s.cell[2]
              let d = s.positions[j] + shift - s.positions[i]
              let dist = dot(d, d).squareRoot()
              if dist < 1e-9 { continue }
              let bank = q.pair![Potential.pairIndex(s.species[i], s.species[j], elementCount: 2)]
              if dist < bank.cutoff { pair += 0.5 * bank.evaluateSingle(dist).value }
            }
          }
        }
      }
      pairMax = max(pairMax, abs(pair))
      let expected = q.bias[s.species[i]] + pair + r.filters[i].reduce(0, +)
      maxErr = max(maxErr, abs(r.atomEnergies[i] - expected))
    }
    #expect(pairMax > 1e-3, "the test must exercise the pair term, max |pair| \(pairMax)")
    #expect(maxErr < 1e-12, "E_i - (b + pair + ΣG) = \(maxErr)")
  }

  /// Filter lists parse ranges and reject nonsense with a message naming the option.
  @Test func parseFilterList() throws {
    #expect(try PotentialEdit.parseFilterList("3,1,2-4") == [1, 2, 3, 4])
    #expect(throws: InspectError.self) { try PotentialEdit.parseFilterList("0") }
    let p = TestPotentials.make(.intAll, elements: ["Mo"])
    #expect(
      throws: InspectError(
        "x.snnp: filter 6 out of range (expected 1…5: 1…3 three-body, then two-body)")
    ) {
      try PotentialEdit.removeFilters(p, element: "Mo", filters: [6], file: "x.snnp")
    }
  }
}
