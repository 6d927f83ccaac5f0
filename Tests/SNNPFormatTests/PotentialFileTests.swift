import SNNPCore
import SNNPFormat
import Testing
import _SNNPTestSupport

@Suite struct PotentialFileTests {
  static let cases: [(Variant, Int)] = Variant.allCases.flatMap { v in [(v, 1), (v, 3)] }

  /// Writing and reading back reproduces the potential and its energies bit for bit.
  @Test(arguments: cases)
  func roundTrip_IsBitExact(variant: Variant, elements: Int) throws {
    let names = Array(["Mo", "Nb", "Ta"].prefix(elements))
    let p = TestPotentials.make(variant, elements: names, seed: 11)
    let file = PotentialFile(
      potential: p, metadata: [.init(key: "note", value: "round trip test")], date: "2026-11-21")
    let text = file.text()
    let back = try PotentialFile.parse(text, file: "roundtrip.snnp")
    #expect(back == file)
    #expect(back.text() == text)
    let s = TestStructures.bcc(repeats: 2, elementCount: elements)
    let a = try Evaluator(p).evaluate(s)
    let b = try Evaluator(back.potential).evaluate(s)
    #expect(a.energy.bitPattern == b.energy.bitPattern)
    #expect(a.forces == b.forces)
  }

  /// The ZBL core record survives a round trip bit for bit.
  @Test func roundTrip_KeepsCore() throws {
    var p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 4)
    p.core = CoreRepulsion(atomicNumbers: [42, 41], inner: 1.45, outer: 1.95)
    let text = PotentialFile(potential: p).text()
    #expect(text.contains("\ncore zbl 1.45 1.95 42 41\n"))
    let back = try PotentialFile.parse(text, file: "core.snnp").potential
    #expect(back == p)
    let s = TestStructures.bcc(a: 2.3, repeats: 2, elementCount: 2)
    #expect(
      try Evaluator(back).evaluate(s).energy.bitPattern
        == Evaluator(p).evaluate(s).energy.bitPattern)
  }

  /// Through the file system too, written atomically.
  @Test func roundTrip_ThroughFile() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo", "Nb"])
    let path = "/tmp/snnp-roundtrip-\(UInt32.random(in: 0...UInt32.max)).snnp"
    try PotentialFile(potential: p).write(to: path)
    #expect(try PotentialFile.read(path: path).potential == p)
  }

  @Test func validFixture_Loads() throws {
    let f = try PotentialFile.parse(try fixture("valid-MoNb.snnp"), file: "valid-MoNb.snnp")
    #expect(f.potential.elements == ["Mo", "Nb"])
    #expect(f.potential.cutoff == 5.0)
  }

  /// Each malformed fixture is rejected with its exact message (file, line, what was expected).
  @Test func malformedFiles_GiveExpectedMessages() throws {
    let table = try fixture("malformed/expected.txt").split(separator: "\n").filter {
      !$0.hasPrefix("#")
    }
    #expect(table.count >= 18)
    for row in table {
      let parts = row.split(separator: "\t", maxSplits: 1)
      let name = String(parts[0])
      let expected = String(parts[1])
      let text = try fixture("malformed/\(name).snnp")
      do {
        _ = try PotentialFile.parse(text, file: "\(name).snnp")
        Issue.record("\(name): accepted a malformed file")
      } catch let e as PotentialFileError {
        var body = Substring(e.description.dropFirst("\(name).snnp:".count))
        if body.first == " " { body = body.dropFirst() }
        #expect(e.description.hasPrefix("\(name).snnp:"), "\(name)")
        #expect(body.hasPrefix(expected), "\(name): got '\(body)', expected '\(expected)'")
      }
    }
  }

  @Test func missingFile_NamesThePath() {
    #expect(throws: FileError.self) { try PotentialFile.read(path: "/nonexistent/x.snnp") }
    do { _ = try PotentialFile.read(path: "/nonexistent/x.snnp") } catch {
      #expect("\(error)".hasPrefix("/nonexistent/x.snnp: cannot open for reading"))
    }
  }
}
