import SNNPCore

/// Converts a LAMMPS `pair_style meam/spline` potential file into the
/// equivalent s-NNP potential (N3 = 1, N2 = 1, spline embedding U, pair term φ).
///
/// Both file formats are read: the old single-element one (no element line;
/// a flags line after each spline's end slopes) and the new one
/// (`meam/spline N El…` on line 2, `spline3eq` before each spline). As in LAMMPS,
/// every radial spline is evaluated up to the largest knot of all radial
/// splines, extrapolating linearly past its own last knot, and the embedding
/// energy is U(ρ) − U(0).
public enum MEAMSplineImporter {
  /// Reads `path`; `element` names the element of an old-format file (and must
  /// match the file's single element for a new-format one, if given).
  /// - Throws: ``PotentialFileError`` with the line and what was expected.
  public static func read(path: String, element: String?) throws -> Potential {
    try parse(try TextFile.read(path), file: path, element: element)
  }

  /// Parses the text of a meam/spline file.
  public static func parse(_ text: String, file: String, element: String?) throws -> Potential {
    let raw = text.split(separator: "\n", omittingEmptySubsequences: false)
    // LAMMPS's reader skips blank lines and '#' comments after line 1.
    var lines: [(Int, [Substring])] = []
    for (k, l) in raw.enumerated() where k > 0 {
      let content =
        l.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let w = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if !w.isEmpty { lines.append((k + 1, w)) }
    }
    var cursor = 0
    func fail(_ line: Int?, _ m: String) -> PotentialFileError {
      PotentialFileError(file: file, line: line, m)
    }
    func next(_ what: String) throws -> (Int, [Substring]) {
      guard cursor < lines.count else {
        throw fail(nil, "unexpected end of file: expected \(what)")
      }
      defer { cursor += 1 }
      return lines[cursor]
    }
    func numbers(_ line: (Int, [Substring]), _ count: Int, _ what: String) throws -> [Double] {
      guard line.1.count >= count else {
        throw fail(line.0, "expected \(count) numbers (\(what)), found \(line.1.count)")
      }
      return try line.1.prefix(count).map {
        guard let v = Double($0), v.isFinite else {
          throw fail(line.0, "expected a finite number (\(what)), found '\($0)'")
        }
        return v
      }
    }
    var elements: [String]
    var newFormat = false
    if let first = lines.first, first.1[0] == "meam/spline" {
      newFormat = true
      cursor = 1
      guard first.1.count >= 2, let n = Int(first.1[1]), n >= 1, first.1.count == n + 2 else {
        throw fail(first.0, "expected 'meam/spline <count> <elements>'")
      }
      elements = first.1.dropFirst(2).map(String.init)
      if let element, elements.count == 1, elements[0] != element {
        throw fail(first.0, "--element \(element) given, but the file is for \(elements[0])")
      }
    } else {
      guard let element else {
        throw fail(
          nil,
          "this is an old-format (single-element) meam/spline file without element names: give the element (--element X)"
        )
      }
      elements = [element]
    }
    let n = elements.count
    let pairs = n * (n + 1) / 2
    func spline(_ name: String) throws -> CubicSpline {
      if newFormat {
        let tag = try next("'spline3eq' before \(name)")
        guard tag.1[0] == "spline3eq" else {
          throw fail(tag.0, "expected 'spline3eq' before \(name), found '\(tag.1[0])'")
        }
      }
      let countLine = try next("the knot count of \(name)")
      guard countLine.1.count == 1, let k = Int(countLine.1[0]), k >= 2 else {
        throw fail(
          countLine.0,
          "expected the number of knots (>= 2) of \(name), found '\(countLine.1.joined(separator: " "))'"
        )
      }
      let slopes = try numbers(
        try next("the end derivatives of \(name)"), 2, "end derivatives of \(name)")
      if !newFormat { _ = try next("the flags line of \(name)") }
      var x: [Double] = []
      var y: [Double] = []
      for q in 0..<k {
        let v = try numbers(
          try next("knot \(q + 1) of \(name)"), 2, "x y of knot \(q + 1) of \(name)")
        if let last = x.last, !(v[0] > last) {
          throw fail(lines[cursor - 1].0, "knots of \(name) must increase strictly")
        }
        x.append(v[0])
        y.append(v[1])
      }
      return CubicSpline(knots: x, values: y, startSlope: slopes[0], endSlope: slopes[1])
    }
    let pairNames = (0..<pairs).map { "phi \($0 + 1)" }
    let phi = try pairNames.map { try spline($0) }
    let rho = try (0..<n).map { try spline("rho of \(elements[$0])") }
    let u = try (0..<n).map { try spline("U of \(elements[$0])") }
    let f = try (0..<n).map { try spline("f of \(elements[$0])") }
    let g = try (0..<pairs).map { try spline("g \($0 + 1)") }
    // LAMMPS: one cutoff, the largest last knot of phi, rho and f.
    let cutoff = (phi + rho + f).map { $0.knots.last! }.max()!
    guard cutoff > 0 else {
      throw fail(
        nil, "the radial splines end at \(cutoff) Å: expected a positive cutoff (last knot)")
    }
    return Potential(
      elements: elements, threeBodyCount: 1, twoBodyCount: 1,
      f: f.map { SplineBank(splines: [$0], cutoff: cutoff) },
      g: g.map { SplineBank(splines: [$0], cutoff: .infinity) },
      rho: rho.map { SplineBank(splines: [$0], cutoff: cutoff) },
      pair: phi.map { SplineBank(splines: [$0], cutoff: cutoff) },
      regressors: u.map { .embedding($0) },
      skipConnection: false, softplusOutput: false, bias: [Double](repeating: 0, count: n))
  }
}
