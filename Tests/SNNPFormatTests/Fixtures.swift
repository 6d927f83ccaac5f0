import SNNPFormat

/// Directory of this test target's fixture files.
let fixtures: String = {
  let here = #filePath
  return String(here[..<here.lastIndex(of: "/")!]) + "/Fixtures"
}()

/// Text of a fixture file.
func fixture(_ name: String) throws -> String { try TextFile.read(fixtures + "/" + name) }
