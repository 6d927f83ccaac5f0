import SNNPCore
import SNNPData
import SNNPFormat

/// Frames of the training and validation sets, checked before any long work starts.
public struct TrainingData {
  /// A frame with where it came from.
  public struct Item {
    /// The frame.
    public var frame: Frame
    /// The file it was read from.
    public var file: String
  }
  /// Training frames.
  public var train: [Item]
  /// Validation frames.
  public var validation: [Item]
  /// Elements of the model.
  public var elements: [String]

  /// Reads the files of `config`, checks every frame has energy and forces and only
  /// the model's elements, and splits off the validation set (seeded).
  /// - Throws: ``FitError`` or ``DataError`` naming file, frame and line.
  public static func load(_ config: FitConfiguration) throws -> TrainingData {
    var all: [Item] = []
    for path in config.train {
      all += try ExtXYZ.read(path: path).map { Item(frame: $0, file: path) }
    }
    var validation: [Item] = []
    if let v = config.validation {
      validation = try ExtXYZ.read(path: v).map { Item(frame: $0, file: v) }
    }
    for item in all + validation {
      let f = item.frame
      guard f.energy != nil else {
        throw FitError(
          "\(item.file):\(f.line): frame has no energy= (the fitter needs reference energies)")
      }
      guard f.forces != nil else {
        throw FitError(
          "\(item.file):\(f.line): frame has no forces property (Properties=...:forces:R:3)")
      }
      guard f.count > 0 else { throw FitError("\(item.file):\(f.line): frame has no atoms") }
    }
    guard !all.isEmpty else {
      throw FitError("no frames in the training files \(config.train.joined(separator: ", "))")
    }
    for item in all + validation {
      if let k = item.frame.symbols.firstIndex(where: { PeriodicTable.atomicNumber($0) == nil }) {
        throw FitError(
          "\(item.file):\(item.frame.line): atom \(k + 1) is '\(item.frame.symbols[k])', which is not a chemical symbol (case-sensitive, e.g. Mo, Nb, Si)"
        )
      }
    }
    let found = Set((all + validation).flatMap(\.frame.symbols)).sorted()
    let elements = config.elements ?? found
    for item in all + validation {
      if let bad = item.frame.symbols.first(where: { !elements.contains($0) }) {
        throw FitError(
          "\(item.file):\(item.frame.line): frame contains \(bad), which is not among the model's elements \(elements.joined(separator: " ")) (config 'elements')"
        )
      }
    }
    var train = all
    if config.validation == nil {
      let nValidation = max(1, Int((Double(all.count) * config.validationFraction).rounded()))
      guard nValidation < all.count else {
        throw FitError("too few frames (\(all.count)) for a validation split")
      }
      let held = heldOutIndices(
        groups: config.stratifySplit
          ? all.map { $0.frame.configType ?? "" } : Array(repeating: "", count: all.count),
        count: nValidation, seed: config.effectiveSplitSeed)
      validation = all.indices.filter { held.contains($0) }.map { all[$0] }
      train = all.indices.filter { !held.contains($0) }.map { all[$0] }
    }
    return TrainingData(train: train, validation: validation, elements: elements)
  }

  /// The indices of the `count` frames held out for validation. With one group this is
  /// a seeded shuffle's first `count`; with several, each group (in name order) is
  /// shuffled with the same generator and gives its share, count × (group size / total)
  /// rounded down, the remaining frames going to the groups with the largest remainders
  /// (ties: name order). The total is `count` either way.
  public static func heldOutIndices(groups: [String], count: Int, seed: UInt64) -> Set<Int> {
    var rng = SeededGenerator(seed: seed &+ 0x5EED)
    let names = Set(groups).sorted()
    if names.count <= 1 {
      var order = Array(groups.indices)
      order.shuffle(using: &rng)
      return Set(order.prefix(count))
    }
    let members = names.map { name in groups.indices.filter { groups[$0] == name } }
    let quotas = members.map { Double($0.count) * Double(count) / Double(groups.count) }
    var shares = quotas.map { Int($0.rounded(.down)) }
    let byRemainder = quotas.indices.sorted {
      (quotas[$0] - Double(shares[$0]), -$0) > (quotas[$1] - Double(shares[$1]), -$1)
    }
    for g in byRemainder.prefix(count - shares.reduce(0, +)) { shares[g] += 1 }
    var held = Set<Int>()
    for (g, var order) in members.enumerated() {
      order.shuffle(using: &rng)
      held.formUnion(order.prefix(shares[g]))
    }
    return held
  }

  /// The validation frames as extended XYZ, each copied verbatim (comment line and
  /// all) from the file it was read from, in split order: `snnp eval POT
  /// <output>/validation.xyz` then reports the errors the fit selected its best epoch on.
  /// - Throws: ``FileError`` when a source file cannot be read again, ``FitError`` when
  ///   it no longer holds the frame.
  public func validationXYZ() throws -> String {
    var lines: [String: [Substring]] = [:]
    var out: [Substring] = []
    for item in validation {
      if lines[item.file] == nil {
        lines[item.file] = try TextFile.read(item.file).split(
          separator: "\n", omittingEmptySubsequences: false)
      }
      let source = lines[item.file]!
      let start = item.frame.line - 1  // the atom-count line
      guard start >= 0, start + item.frame.count + 2 <= source.count else {
        throw FitError(
          "\(item.file):\(item.frame.line): the file changed while the fit was reading it")
      }
      out += source[start..<(start + item.frame.count + 2)]
    }
    return out.joined(separator: "\n") + "\n"
  }

  /// Per-element reference energies μ_c (eV/atom) by least squares,
  /// E_s ≈ Σ_c n_{s,c} μ_c over the training frames.
  public func referenceEnergies() -> [Double] {
    let n = elements.count
    var a = [Double](repeating: 0, count: n * n)
    var b = [Double](repeating: 0, count: n)
    for item in train {
      var counts = [Double](repeating: 0, count: n)
      for s in item.frame.symbols { counts[elements.firstIndex(of: s)!] += 1 }
      for i in 0..<n {
        b[i] += counts[i] * item.frame.energy!
        for j in 0..<n { a[i * n + j] += counts[i] * counts[j] }
      }
    }
    // A tiny ridge keeps fixed-composition data sets solvable.
    let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
    for i in 0..<n { a[i * n + i] += 1e-10 * trace }
    // Gaussian elimination with partial pivoting (n is the number of elements).
    var x = b
    for col in 0..<n {
      let pivot = (col..<n).max { abs(a[$0 * n + col]) < abs(a[$1 * n + col]) }!
      if pivot != col {
        for k in 0..<n { a.swapAt(col * n + k, pivot * n + k) }
        x.swapAt(col, pivot)
      }
      for row in (col + 1)..<n where n > col + 1 {
        let factor = a[row * n + col] / a[col * n + col]
        for k in col..<n { a[row * n + k] -= factor * a[col * n + k] }
        x[row] -= factor * x[col]
      }
    }
    for row in stride(from: n - 1, through: 0, by: -1) {
      var s = x[row]
      for k in (row + 1)..<n where n > row + 1 { s -= a[row * n + k] * x[k] }
      x[row] = s / a[row * n + row]
    }
    return x
  }
}
