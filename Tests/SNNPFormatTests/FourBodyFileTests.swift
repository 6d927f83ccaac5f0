import SNNPCore
import SNNPFormat
import Testing
import _SNNPTestSupport

/// The `four_body` record and the `h` spline banks (four-body moment filters).
@Suite struct FourBodyFileTests {
  /// A four-body potential (shared filters or not, tensor form or not, with a training
  /// domain) round-trips bit for bit and evaluates identically after reading.
  @Test(arguments: [(1, false, false), (3, false, false), (2, true, false), (2, false, true)])
  func roundTrip_IsBitExact(elements: Int, shared: Bool, tensor: Bool) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    var p = TestPotentials.make(
      .intAll, elements: names, seed: 19, threeBodyCutoff: 3.8, sharedFilters: shared,
      threeBodyBasis: tensor ? ThreeBodyBasis(radial: 2, angular: 2) : nil, fourBody: 3)
    let train = (0..<3).map {
      TestStructures.bcc(
        a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: elements, seed: UInt64(3 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let text = PotentialFile(potential: p, date: "2026-12-05").text()
    #expect(text.contains("\nfour_body 3\n"))
    #expect(text.contains("\nspline_bank h \(shared ? "*" : "Mo") 3 7 3.8\n"))
    let back = try PotentialFile.parse(text, file: "four.snnp")
    #expect(back.potential == p)
    #expect(back.text() == text)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: elements, rattle: 0.2, seed: 5)
    let a = try Evaluator(p).evaluate(s, uncertainty: true)
    let b = try Evaluator(back.potential).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces && a.grades == b.grades)
  }

  /// A committee of four-body heads round-trips bit for bit, grades included.
  @Test func committee_RoundTripsBitExact() throws {
    var p = TestPotentials.committee(.intAll, elements: ["Mo", "Nb"], heads: 3, seed: 23, fourBody: 2)
    let train = (0..<3).map {
      TestStructures.bcc(a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: 2, seed: UInt64(7 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let text = PotentialFile(potential: p, date: "2026-12-05").text()
    let back = try PotentialFile.parse(text, file: "four-committee.snnp")
    #expect(back.potential == p && back.potential.headCount == 3 && back.potential.fourBodySplines == 2)
    #expect(back.text() == text)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: 2, rattle: 0.2, seed: 9)
    let a = try Evaluator(p).evaluate(s, uncertainty: true)
    let b = try Evaluator(back.potential).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces && a.grades == b.grades)
    #expect(a.sigmas == b.sigmas && a.sigmas.allSatisfy { $0 > 0 })
  }

  /// Files without four-body filters are written exactly as before (no new record).
  @Test func withoutFourBody_WritesNoNewRecord() {
    let text = PotentialFile(potential: TestPotentials.make(.intAll, elements: ["Mo", "Nb"])).text()
    #expect(!text.contains("four_body") && !text.contains("spline_bank h"))
  }

  /// Malformed four-body files are rejected with a message naming the line.
  @Test func malformed_GiveExpectedMessages() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 13, fourBody: 2)
    let good = PotentialFile(potential: p, date: "2026-12-05").text()
    let recordLine = lineNumber(good, "four_body")
    let hLine = lineNumber(good, "spline_bank h Mo")
    let cases: [(String, String)] = [
      (
        good.replacingOccurrences(of: "four_body 2", with: "four_body 0"),
        "\(recordLine): expected the number of four-body radial splines A >= 1, found 0"
      ),
      (
        good.replacingOccurrences(of: "four_body 2", with: "four_body 2 3"),
        "\(recordLine): expected 1 value after 'four_body' (four-body radial splines A), found 2"
      ),
      (
        good.replacingOccurrences(of: "four_body 2\n", with: ""),
        "\(hLine - 1): spline_bank h given but no 'four_body <A>' record before it declares four-body filters"
      ),
      (
        good.replacingOccurrences(of: "four_body 2", with: "four_body 3"),
        "\(hLine): expected 3 splines in spline_bank h Mo, found 2"
      ),
      (
        good.replacingOccurrences(of: "four_body 2\n", with: "four_body 2\nfour_body 2\n"),
        "\(recordLine + 1): duplicate 'four_body' (first given on line \(recordLine))"
      ),
    ]
    expectRejected(cases)
    // Without the h banks the file is incomplete.
    var lines = good.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeSubrange((hLine - 1)..<(hLine + 3))  // header, knots, 2 splines
    do {
      _ = try PotentialFile.parse(lines.joined(separator: "\n"), file: "bad.snnp")
      Issue.record("accepted a file without its h bank")
    } catch let e as PotentialFileError {
      #expect(e.description.contains("missing 'spline_bank h Mo'"), "\(e.description)")
    }
  }
}
