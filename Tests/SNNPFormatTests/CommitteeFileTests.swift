import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import Testing
import _SNNPTestSupport

/// The `committee`, `training_domain` and `closest_approach` records.
@Suite struct CommitteeFileTests {
  static func calibrated(elements: [String]) throws -> Potential {
    var p = TestPotentials.committee(.intAll, elements: elements, heads: 3, seed: 21)
    let train = (0..<4).map {
      TestStructures.bcc(
        a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: elements.count, rattle: 0.15,
        seed: UInt64(7 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    return p
  }

  /// A committee with a training domain round-trips bit for bit, grades included.
  @Test(arguments: [1, 3])
  func committeeAndDomain_RoundTripExactly(elements: Int) throws {
    let p = try Self.calibrated(elements: Array(["Mo", "Nb", "Ta"].prefix(elements)))
    let text = PotentialFile(potential: p, date: "2026-12-04").text()
    #expect(text.contains("\ncommittee 3\n"))
    let back = try PotentialFile.parse(text, file: "committee.snnp")
    #expect(back.potential == p)
    #expect(back.text() == text)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: elements, rattle: 0.2, seed: 77)
    let a = try Evaluator(p).evaluate(s, uncertainty: true)
    let b = try Evaluator(back.potential).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(
      a.forces == b.forces && a.sigmas == b.sigmas && a.grades == b.grades
        && a.closeFlags == b.closeFlags)
  }

  /// A file without the new records reads as before: one head, no domain.
  @Test func oldFile_LoadsWithOneHeadAndNoDomain() throws {
    let f = try PotentialFile.parse(try fixture("valid-MoNb.snnp"), file: "valid-MoNb.snnp")
    #expect(f.potential.headCount == 1)
    #expect(f.potential.domain == nil)
  }

  /// Malformed committee and domain records give file:line messages.
  @Test func malformedRecords_GiveClearErrors() throws {
    let p = try Self.calibrated(elements: ["Mo", "Nb"])
    let text = PotentialFile(potential: p, date: "2026-12-04").text()
    func message(_ t: String) -> String {
      do {
        _ = try PotentialFile.parse(t, file: "bad.snnp")
        return "accepted"
      } catch { return "\(error)" }
    }
    #expect(
      message(text.replacingOccurrences(of: "\ncommittee 3\n", with: "\ncommittee 4\n")).hasPrefix(
        "bad.snnp: expected 4 'regressor Mo network' heads (committee 4), found 3"))
    #expect(
      message(text.replacingOccurrences(of: "\ncommittee 3\n", with: "\ncommittee 0\n")).contains(
        "expected the number of committee heads >= 1, found 0"))
    #expect(
      message(text.replacingOccurrences(of: "\ncommittee 3\n", with: "\ncommittee 100000\n"))
        .contains(
          "expected at most 64 committee heads, found 100000"))
    #expect(
      message(text.replacingOccurrences(of: "\ncommittee 3\n", with: "\n")).contains(
        "duplicate regressor for element Mo"))
    let noPair =
      text.split(separator: "\n").filter { !$0.hasPrefix("closest_approach Mo-Nb") }.joined(
        separator: "\n") + "\n"
    #expect(message(noPair).hasPrefix("bad.snnp: missing 'closest_approach Mo-Nb <Å>'"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let k = lines.firstIndex { $0.hasPrefix("training_domain Mo") }!
    var short = lines
    short.remove(at: k + 3)  // the first active vector
    #expect(
      message(short.joined(separator: "\n")).contains(
        "expected 'active' (training_domain Mo, active vector 6 of 6)"))
  }

  /// Spearman's rank correlation on known cases (ties take their mean rank).
  @Test func spearman_KnownValues() {
    #expect(spearmanCorrelation([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
    #expect(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
    #expect(abs(spearmanCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])! - 0.8) < 1e-12)
    #expect(spearmanCorrelation([1, 1, 1], [1, 2, 3]) == nil)
  }
}
