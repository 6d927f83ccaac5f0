import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import Testing

/// Directory of this test target's fixture files.
let fixtures: String = {
  let here = #filePath
  return String(here[..<here.lastIndex(of: "/")!]) + "/Fixtures"
}()

/// The error message `body` throws, or nil if it throws none.
func message(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return "\(error)"
  }
}

/// ASE extended XYZ (issue 27 item 6): the valid fixtures are read to the exact numbers
/// written in them; each malformed fixture gives its exact message (file:line, frame).
@Suite struct ExtXYZValidTests {
  /// Extra columns around the ones snnp reads, stress (9 numbers, then Voigt 6), pbc,
  /// quoted values (a space, an escaped quote, braces), a bare flag, blank lines between frames.
  @Test func extraColumnsStressPbcQuotes_AreReadExactly() throws {
    let path = fixtures + "/extra-columns.xyz"
    let frames = try ExtXYZ.read(path: path)
    #expect(frames.count == 2)
    let a = frames[0]
    #expect(a.line == 1)
    #expect(a.symbols == ["Mo", "Nb", "Mo"])
    #expect(a.positions == [SIMD3(0.0, 0.0, 0.0), SIMD3(1.58, 1.58, 1.58), SIMD3(0.1, -0.2, 3.3)])
    #expect(
      a.forces == [SIMD3(0.125, -0.25, 0.5), SIMD3(-0.001, 0.025, -0.0), SIMD3(0.0, 0.0, -0.5)])
    #expect(a.cell == [SIMD3(3.16, 0, 0), SIMD3(0, 3.16, 0), SIMD3(0, 0, 6.32)])
    #expect(a.pbc == [true, true, false])
    #expect(a.energy == -32.125)
    #expect(a.stress == [0.001, 0.0002, -0.0003, 0.0002, -0.004, 0.0005, -0.0003, 0.0005, 0.006])
    #expect(a.configType == "bulk relaxed")
    #expect(a.info["comment"] == "say \"hi\"")
    #expect(a.info["dft_params"] == "ecut=500 k=4")
    #expect(a.info["is_relaxed"] == "T")
    #expect(a.info["pbc"] == "T T F")
    #expect(
      a.info.keys.sorted() == [
        "Lattice", "Properties", "comment", "config_type", "dft_params", "energy", "is_relaxed",
        "pbc", "stress",
      ])

    let b = frames[1]
    #expect(b.line == 8)
    #expect(b.symbols == ["W"])
    #expect(b.positions == [SIMD3(0.5, 0.25, 0.125)])  // pos before species in Properties=
    #expect(b.forces == nil)
    #expect(b.cell == [SIMD3(2.5, 0, 0), SIMD3(0, 2.5, 0), SIMD3(0, 0, 2.5)])
    #expect(b.pbc == [true, true, true])
    #expect(b.energy == -11.75)
    // Voigt xx yy zz yz xz xy = 1 2 3 4 5 6 → row-major 3×3.
    #expect(b.stress == [1, 6, 5, 6, 2, 4, 5, 4, 3])
    #expect(b.configType == nil)
  }

  /// Windows line endings, a byte-order mark, tabs; a molecule (no Lattice: zero cell,
  /// not periodic) and a crystal whose pbc comes from Lattice= alone.
  @Test func crlfAndBOM_AreReadExactly() throws {
    let path = fixtures + "/crlf-bom.xyz"
    let frames = try ExtXYZ.read(path: path)
    #expect(frames.count == 2)
    let a = frames[0]
    #expect(a.line == 1)
    #expect(a.symbols == ["Mo", "Mo"])
    #expect(a.positions == [SIMD3(0, 0, 0), SIMD3(2.2, 0, 0)])
    #expect(a.forces == [SIMD3(0.25, 0, 0), SIMD3(-0.25, 0, 0)])
    #expect(a.cell == [SIMD3<Double>](repeating: .zero, count: 3))
    #expect(a.pbc == [false, false, false])
    #expect(a.energy == -3.5)
    #expect(a.stress == nil)
    #expect(a.configType == "dimer")
    let b = frames[1]
    #expect(b.line == 5)
    #expect(b.symbols == ["Mo"])
    #expect(b.positions == [SIMD3(0, 0, 0)])
    #expect(b.forces == nil)
    #expect(b.cell == [SIMD3(3.1, 0, 0), SIMD3(0, 3.1, 0), SIMD3(0, 0, 3.1)])
    #expect(b.pbc == [true, true, true])
    #expect(b.energy == -10.875)
    #expect(b.configType == "bcc")
  }

  /// ExtXYZ.text writes shortest round-trip numbers: reading it back gives every number again.
  @Test func writtenText_ReadsBackExactly() throws {
    for name in ["extra-columns", "crlf-bom"] {
      let frames = try ExtXYZ.read(path: fixtures + "/\(name).xyz")
      let again = try ExtXYZ.parse(ExtXYZ.text(frames), file: "again.xyz")
      #expect(again.count == frames.count, "\(name)")
      for (x, y) in zip(frames, again) {
        #expect(
          x.symbols == y.symbols && x.positions == y.positions && x.cell == y.cell
            && x.pbc == y.pbc, "\(name)")
        #expect(
          x.energy == y.energy && x.stress == y.stress && x.configType == y.configType, "\(name)")
        // Forces are written only when every frame has them.
        #expect(y.forces == (frames.allSatisfy { $0.forces != nil } ? x.forces : nil), "\(name)")
      }
    }
  }

  /// A frame's structure takes element indices from the potential's element list.
  @Test func structure_MapsElements() throws {
    let path = fixtures + "/extra-columns.xyz"
    let frames = try ExtXYZ.read(path: path)
    let s = try frames[0].structure(elements: ["Nb", "Mo"], file: path)
    #expect(s.species == [1, 0, 1])
    #expect(s.positions == frames[0].positions && s.pbc == [true, true, false])
    #expect(
      message { _ = try frames[1].structure(elements: ["Mo", "Nb"], file: path) }
        == "\(path): frame at line 8: atom 1 is W, which the potential does not describe (elements: Mo Nb)"
    )
  }
}

@Suite struct ExtXYZMalformedTests {
  /// Every fixture in Fixtures/malformed has one row in expected.txt, and gives exactly that message.
  @Test func malformedFiles_GiveExactMessages() throws {
    let table = try TextFile.read(fixtures + "/malformed/expected.txt").split(separator: "\n")
      .filter { !$0.hasPrefix("#") }
    #expect(table.count == 26)
    var named: Set<String> = []
    for row in table {
      let parts = row.split(separator: "\t", maxSplits: 1)
      let name = String(parts[0])
      named.insert(name)
      let path = fixtures + "/malformed/\(name).xyz"
      let expected = parts[1].replacingOccurrences(of: "FILE", with: path)
      let got = message { _ = try ExtXYZ.read(path: path) }
      #expect(got == expected, "\(name)")
    }
    // No fixture without an expected message.
    let files = try FileManager.default.contentsOfDirectory(atPath: fixtures + "/malformed").filter
    { $0.hasSuffix(".xyz") }.map { String($0.dropLast(4)) }
    #expect(Set(files) == named)
  }

  @Test func missingFile_NamesThePath() {
    let path = fixtures + "/no-such-file.xyz"
    #expect(
      message { _ = try ExtXYZ.read(path: path) }
        == "\(path): cannot open for reading: No such file or directory")
  }
}
