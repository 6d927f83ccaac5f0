import Testing
import SNNPFormat

/// Directory of this test target's fixture files.
let fixtures: String = {
  let here = #filePath
  return String(here[..<here.lastIndex(of: "/")!]) + "/Fixtures"
}()

/// Text of a fixture file.
func fixture(_ name: String) throws -> String { try TextFile.read(fixtures + "/" + name) }

/// 1-based number of the first line of `text` that starts with `prefix`.
func lineNumber(_ text: String, _ prefix: String) -> Int {
  text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
    $0.hasPrefix(prefix)
  }! + 1
}

/// Every (text, expected message) case is rejected by the reader with a message that
/// starts with "bad.snnp:" + expected.
func expectRejected(_ cases: [(String, String)]) {
  for (k, (text, expected)) in cases.enumerated() {
    do {
      _ = try PotentialFile.parse(text, file: "bad.snnp")
      Issue.record("case \(k): accepted a malformed file")
    } catch let e as PotentialFileError {
      #expect(
        e.description.hasPrefix("bad.snnp:" + expected),
        "case \(k): got '\(e.description)', expected '\(expected)'")
    } catch {
      Issue.record("case \(k): unexpected error \(error)")
    }
  }
}
