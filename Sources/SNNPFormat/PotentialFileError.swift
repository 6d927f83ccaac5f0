/// A problem in a potential file, with the file name, the line and what was expected.
public struct PotentialFileError: Error, CustomStringConvertible, Equatable {
  /// The file (as given to the reader).
  public let file: String
  /// 1-based line number, or nil for problems of the file as a whole.
  public let line: Int?
  /// What was expected and what was found.
  public let message: String

  /// Creates an error.
  public init(file: String, line: Int?, _ message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `file:line: message`, the form compilers use.
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}

/// The keyword among `candidates` closest to `word` (edit distance <= 3), for "did you mean".
public func nearest(_ word: String, in candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return a.isEmpty ? b.count : row[b.count]
  }
  let w = Array(word.lowercased())
  let best = candidates.map { ($0, distance(w, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
  guard let best, best.1 <= 3 else { return nil }
  return best.0
}
