import SNNPCore
import SNNPFormat
import Testing
import _SNNPTestSupport

/// The `shared_filters` record and the shared bank names `*` and `*-*`.
@Suite struct SharedFilterFileTests {
  /// A shared-filter potential (with a committee and a training domain) round-trips bit for bit.
  @Test(arguments: [1, 3])
  func roundTrip_IsBitExact(elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    var p = TestPotentials.committee(
      .intAll, elements: names, heads: 2, seed: 13, sharedFilters: true)
    p.core = CoreRepulsion(
      atomicNumbers: Array([42.0, 41, 73].prefix(elements)), inner: 1.4, outer: 1.9)
    let train = (0..<3).map {
      TestStructures.bcc(
        a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: elements, seed: UInt64(3 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let text = PotentialFile(potential: p, date: "2026-12-05").text()
    #expect(
      text.contains("\nspline_bank f * 3 8 4.2\n") && text.contains("\nspline_bank g *-* 3 7\n"))
    #expect(text.contains("\nspline_bank rho * 2 7 4.2\n"))
    // An older reader meets 'shared_filters' before any bank and stops there.
    let record = text.range(of: "\nshared_filters 1\n")!
    #expect(record.lowerBound < text.range(of: "\nspline_bank")!.lowerBound)
    let back = try PotentialFile.parse(text, file: "shared.snnp")
    #expect(back.potential == p)
    #expect(back.text() == text)
    let s = TestStructures.bcc(a: 3.0, repeats: 2, elementCount: elements, rattle: 0.2, seed: 5)
    let a = try Evaluator(p).evaluate(s, uncertainty: true)
    let b = try Evaluator(back.potential).evaluate(s, uncertainty: true)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces && a.sigmas == b.sigmas && a.grades == b.grades)
  }

  /// Element-resolved files are written exactly as before (no new record).
  @Test func elementResolved_WritesNoNewRecord() {
    let text = PotentialFile(potential: TestPotentials.make(.intAll, elements: ["Mo", "Nb"])).text()
    #expect(!text.contains("shared_filters") && !text.contains("*"))
  }

  /// Malformed shared-filter files are rejected with a message naming the line.
  @Test func malformed_GiveExpectedMessages() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 13, sharedFilters: true)
    let good = PotentialFile(potential: p, date: "2026-12-05").text()
    func line(_ text: String, _ prefix: String) -> Int {
      text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.hasPrefix(prefix)
      }! + 1
    }
    let resolved = PotentialFile(
      potential: TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 13), date: "2026-12-05"
    ).text()
    let cases: [(String, String)] = [
      // a named bank in a shared file
      (
        good.replacingOccurrences(of: "spline_bank f * ", with: "spline_bank f Mo "),
        "\(line(good, "spline_bank f")): expected 'spline_bank f *' (shared_filters 1: one bank serves every element), found 'Mo'"
      ),
      (
        good.replacingOccurrences(of: "spline_bank g *-* ", with: "spline_bank g * "),
        "\(line(good, "spline_bank g")): expected 'spline_bank g *-*' (shared_filters 1: one bank serves every element), found '*'"
      ),
      // a shared bank without the record
      (
        good.replacingOccurrences(of: "shared_filters 1\n", with: ""),
        "\(line(good, "spline_bank f") - 1): '*' (a shared bank) needs 'shared_filters 1' before the first spline_bank"
      ),
      // the record after the banks
      (
        resolved.replacingOccurrences(
          of: "\nregressor Mo", with: "\nshared_filters 1\nregressor Mo"),
        "\(line(resolved, "regressor Mo")): 'shared_filters' must come before the first 'spline_bank' (line \(line(resolved, "spline_bank f")))"
      ),
      (
        good.replacingOccurrences(of: "shared_filters 1", with: "shared_filters 2"),
        "\(line(good, "shared_filters")): expected 0 or 1 after 'shared_filters', found '2'"
      ),
      (
        good.replacingOccurrences(
          of: "\nshared_filters 1\n", with: "\nshared_filters 1\nshared_filters 1\n"),
        "\(line(good, "shared_filters") + 1): duplicate 'shared_filters' (first given on line \(line(good, "shared_filters")))"
      ),
      // the pair term stays per element pair
      (
        good.replacingOccurrences(of: "spline_bank pair Mo-Mo", with: "spline_bank pair *-*"),
        "\(line(good, "spline_bank pair Mo-Mo")): the pair term is per element pair even with shared filters: expected a pair like 'Mo-Nb', found '*-*'"
      ),
      (
        good.replacingOccurrences(of: "spline_bank rho * ", with: "spline_bank rhoo * "),
        "\(line(good, "spline_bank rho")): unknown spline_bank role 'rhoo'"
      ),
      // a second shared bank
      (
        good.replacingOccurrences(
          of: "spline_bank rho",
          with: "spline_bank f * 3 2 4.2\nknots 1 2\n"
            + String(repeating: "spline 0 0 0 0\n", count: 3) + "spline_bank rho"),
        "\(line(good, "spline_bank rho")): duplicate spline_bank f *"
      ),
    ]
    expectRejected(cases)
    // A shared file with a bank missing.
    var lines = good.split(separator: "\n", omittingEmptySubsequences: false)
    let start = line(good, "spline_bank rho") - 1
    lines.removeSubrange(start..<(start + 4))
    do {
      _ = try PotentialFile.parse(lines.joined(separator: "\n"), file: "bad.snnp")
      Issue.record("accepted a file without its rho bank")
    } catch let e as PotentialFileError {
      #expect(
        e.description
          == "bad.snnp: missing 'spline_bank rho *' (shared_filters 1: one bank serves every element)"
      )
    }
  }
}
