import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import Testing

/// Issue 25: text inputs that used to crash or lie.
@Suite struct TextInputRobustnessTests {
  func xyzError(_ text: String) -> String? {
    let path = "/tmp/snnp-robust-\(UInt32.random(in: 0...UInt32.max)).xyz"
    do {
      try TextFile.writeAtomically(text, to: path)
      _ = try ExtXYZ.read(path: path)
      return nil
    } catch {
      return "\(error)".replacingOccurrences(of: path, with: "f.xyz")
    }
  }

  @Test func shortForceColumn_IsAnError() {
    let text =
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:1 energy=-1\nMo 0 0 0 0\n"
    #expect(
      xyzError(text)
        == "f.xyz:2: frame 1: malformed Properties=: forces must have 3 columns (forces:R:3), found 1"
    )
  }

  @Test func hugeAtomCount_IsAnError() {
    #expect(
      xyzError("9223372036854775807\nenergy=-1\nMo 0 0 0\n")
        == "f.xyz:1: frame 1: the file ends before the 9223372036854775807 atoms of this frame (truncated?)"
    )
    #expect(
      xyzError("1\nProperties=species:S:1:pos:R:9223372036854775807 energy=-1\nMo 0 0 0\n")
        == "f.xyz:2: frame 1: malformed Properties=: bad count '9223372036854775807'")
  }

  @Test func emptyFiles_AreErrors() {
    #expect(xyzError("") == "f.xyz: no frames (the file is empty or holds only blank lines)")
    #expect(
      xyzError("  \n\n\t\n") == "f.xyz: no frames (the file is empty or holds only blank lines)")
  }

  @Test func crlfAndBOM_AreAccepted() throws {
    let unix = "2\nLattice=\"3.1 0 0 0 3.1 0 0 0 3.1\" energy=-1.5\nMo 0 0 0\nMo 1.55 1.55 1.55\n"
    let windows = "\u{FEFF}" + unix.replacingOccurrences(of: "\n", with: "\r\n")
    let a = try ExtXYZ.parse(unix, file: "u")
    let b = try ExtXYZ.parse(windows, file: "w")
    #expect(a.count == 1 && b.count == 1)
    #expect(a[0].positions == b[0].positions && a[0].cell == b[0].cell && b[0].energy == -1.5)
    #expect(b[0].symbols == ["Mo", "Mo"])
  }

  @Test func potentialFileWithCRLFAndBOM_ReadsTheSame() throws {
    let text = try fixture("valid-MoNb.snnp")
    let windows = "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")
    let a = try PotentialFile.parse(text, file: "u.snnp")
    let b = try PotentialFile.parse(windows, file: "w.snnp")
    #expect(a.potential == b.potential)
  }

  @Test func normalized_HandlesEveryLineEnding() {
    #expect(TextFile.normalized("\u{FEFF}a\r\nb\rc\n\r\n") == "a\nb\nc\n\n")
    #expect(TextFile.normalized("plain\n") == "plain\n")
  }
}
