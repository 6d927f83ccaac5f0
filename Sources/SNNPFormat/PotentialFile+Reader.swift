import SNNPCore

extension PotentialFile {
  /// Reads and validates a `.snnp` file.
  /// - Throws: ``PotentialFileError`` (file, line, what was expected) or ``FileError``.
  public static func read(path: String) throws -> PotentialFile {
    try parse(try TextFile.read(path), file: path)
  }

  /// Parses the text of a `.snnp` file; `file` names it in error messages.
  /// - Throws: ``PotentialFileError``.
  public static func parse(_ text: String, file: String) throws -> PotentialFile {
    var parser = PotentialParser(text: text, file: file)
    return try parser.parse()
  }
}

/// The keywords allowed at the top level of a `.snnp` file.
let topLevelKeywords = [
  "meta", "elements", "filters", "three_body_basis", "four_body", "shared_filters",
  "skip_connection", "softplus_output", "bias", "core", "spline_bank", "regressor",
  "committee", "training_domain", "closest_approach", "end",
]

struct PotentialParser {
  struct Line {
    let number: Int
    let words: [Substring]
  }

  let file: String
  let rawLines: [Substring]
  var lines: [Line] = []
  var cursor = 0

  init(text: String, file: String) {
    self.file = file
    rawLines = TextFile.normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
    for (k, raw) in rawLines.enumerated() where k > 0 {
      let content =
        raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if !words.isEmpty { lines.append(Line(number: k + 1, words: words)) }
    }
  }

  func error(_ line: Int?, _ message: String) -> PotentialFileError {
    PotentialFileError(file: file, line: line, message)
  }

  mutating func next(_ expectation: String) throws -> Line {
    guard cursor < lines.count else {
      throw error(
        nil, "unexpected end of file: expected \(expectation) (the file may be truncated)")
    }
    defer { cursor += 1 }
    return lines[cursor]
  }

  /// The next line, which must start with `keyword` and hold `count` values after it.
  mutating func expect(_ keyword: String, values count: Int?, context: String) throws -> Line {
    let line = try next("'\(keyword)' (\(context))")
    guard line.words[0] == keyword else {
      throw error(line.number, "expected '\(keyword)' (\(context)), found '\(line.words[0])'")
    }
    if let count, line.words.count - 1 != count {
      throw error(
        line.number,
        "expected \(count) value\(count == 1 ? "" : "s") after '\(keyword)' (\(context)), found \(line.words.count - 1)"
      )
    }
    return line
  }

  func double(_ word: Substring, _ line: Line, _ what: String) throws -> Double {
    guard let v = Double(word) else {
      throw error(line.number, "expected a number for \(what), found '\(word)'")
    }
    guard v.isFinite else {
      throw error(line.number, "expected a finite number for \(what), found '\(word)'")
    }
    guard abs(v) <= InputLimits.maxMagnitude else {
      throw error(
        line.number,
        "expected \(what) of magnitude at most \(InputLimits.maxMagnitudeText), found '\(word)'")
    }
    return v
  }

  func integer(
    _ word: Substring, _ line: Line, _ what: String, minimum: Int, maximum: Int = Int.max
  ) throws -> Int {
    guard let v = Int(word) else {
      throw error(line.number, "expected an integer for \(what), found '\(word)'")
    }
    guard v >= minimum else {
      throw error(line.number, "expected \(what) >= \(minimum), found \(v)")
    }
    guard v <= maximum else {
      throw error(line.number, "expected \(what) <= \(maximum), found \(v)")
    }
    return v
  }

  func flag(_ line: Line) throws -> Bool {
    guard line.words.count == 2 else {
      throw error(
        line.number,
        "expected one value (0 or 1) after '\(line.words[0])', found \(line.words.count - 1)")
    }
    switch line.words[1] {
    case "0": return false
    case "1": return true
    default:
      throw error(line.number, "expected 0 or 1 after '\(line.words[0])', found '\(line.words[1])'")
    }
  }

  mutating func parse() throws -> PotentialFile {
    // Line 1: LAMMPS-style header.
    let header = rawLines.first.map(String.init) ?? ""
    guard header.contains("UNITS:") else {
      throw error(
        1,
        "expected a LAMMPS-style first line '# DATE: <date> UNITS: metal ...', found '\(header.prefix(60))'"
      )
    }
    let headerWords = header.split(separator: " ")
    func headerValue(_ key: String) -> String? {
      guard let k = headerWords.firstIndex(where: { $0 == key }), k + 1 < headerWords.count else {
        return nil
      }
      return String(headerWords[k + 1])
    }
    if let units = headerValue("UNITS:"), units != "metal" {
      throw error(
        1, "expected UNITS: metal (snnp potentials use LAMMPS metal units), found UNITS: \(units)")
    }
    let date = headerValue("DATE:") ?? "unknown"
    let contributor = headerValue("CONTRIBUTOR:") ?? "unknown"

    let tag = try next("'snnp <version>'")
    guard tag.words[0] == "snnp", tag.words.count == 2 else {
      throw error(
        tag.number,
        "expected the format tag 'snnp <version>' on the line after the header, found '\(tag.words.joined(separator: " "))'"
      )
    }
    let version = try integer(tag.words[1], tag, "the format version", minimum: 1)
    guard version == PotentialFile.formatVersion else {
      throw error(
        tag.number,
        "unsupported format version \(version): this snnp reads version \(PotentialFile.formatVersion)"
      )
    }

    var metadata: [PotentialFile.Metadata] = []
    var elements: [String]?
    var counts: (n3: Int, n2: Int)?
    var skip: Bool?
    var shared = false
    var basis: ThreeBodyBasis?
    var fourBody = 0
    var softplus: Bool?
    var bias: [Double]?
    var core: (line: Line, value: CoreRepulsion)?
    var banks: [String: [Int: SplineBank]] = [:]
    var regressors: [Int: [(line: Line, value: Regressor)]] = [:]
    var committee: (line: Line, heads: Int)?
    var domains: [Int: TrainingDomain.ElementDomain] = [:]
    var closest: [Int: (line: Line, value: Double)] = [:]
    var seen: [String: Int] = [:]
    var ended = false

    func requireElements(_ line: Line) throws -> [String] {
      guard let elements else {
        throw error(line.number, "expected 'elements' before '\(line.words[0])'")
      }
      return elements
    }
    func requireCounts(_ line: Line) throws -> (n3: Int, n2: Int) {
      guard let counts else {
        throw error(line.number, "expected 'filters' before '\(line.words[0])'")
      }
      return counts
    }

    while cursor < lines.count {
      let line = lines[cursor]
      cursor += 1
      let keyword = String(line.words[0])
      if [
        "elements", "filters", "three_body_basis", "four_body", "shared_filters",
        "skip_connection", "softplus_output", "bias", "core", "committee",
      ].contains(keyword) {
        if let first = seen[keyword] {
          throw error(line.number, "duplicate '\(keyword)' (first given on line \(first))")
        }
        seen[keyword] = line.number
      }
      switch keyword {
      case "meta":
        guard line.words.count >= 2 else {
          throw error(line.number, "expected 'meta <key> <value>'")
        }
        metadata.append(
          .init(key: String(line.words[1]), value: line.words.dropFirst(2).joined(separator: " ")))
      case "elements":
        guard line.words.count >= 2 else {
          throw error(line.number, "expected 'elements <count> <names>'")
        }
        let n = try integer(
          line.words[1], line, "the number of elements", minimum: 1,
          maximum: InputLimits.maxElements)
        guard line.words.count == n + 2 else {
          throw error(
            line.number,
            "expected \(n) element names after 'elements \(n)', found \(line.words.count - 2)")
        }
        let names = line.words.dropFirst(2).map(String.init)
        if Set(names).count != n {
          throw error(
            line.number, "element names must be distinct, found \(names.joined(separator: " "))")
        }
        elements = names
      case "filters":
        guard line.words.count == 3 else {
          throw error(
            line.number,
            "expected 2 values after 'filters' (three-body N3, two-body N2), found \(line.words.count - 1)"
          )
        }
        counts = (
          try integer(
            line.words[1], line, "the number of three-body filters", minimum: 0,
            maximum: InputLimits.maxFilters),
          try integer(
            line.words[2], line, "the number of two-body filters", minimum: 0,
            maximum: InputLimits.maxFilters)
        )
      case "three_body_basis":
        let c = try requireCounts(line)
        if let first = seen["spline_bank"] {
          throw error(
            line.number,
            "'three_body_basis' must come before the first 'spline_bank' (line \(first))")
        }
        guard line.words.count == 3 else {
          throw error(
            line.number,
            "expected 2 values after 'three_body_basis' (radial splines A, angular splines C), found \(line.words.count - 1)"
          )
        }
        let radial = try integer(
          line.words[1], line, "the number of radial splines A", minimum: 1,
          maximum: InputLimits.maxFilters)
        let angular = try integer(
          line.words[2], line, "the number of angular splines C", minimum: 1,
          maximum: InputLimits.maxFilters)
        let value = ThreeBodyBasis(radial: radial, angular: angular)
        guard value.filterCount == c.n3 else {
          throw error(
            line.number,
            "three_body_basis \(radial) \(angular) makes A(A+1)/2 * C = \(value.filterCount) three-body filters, but 'filters' declares N3 = \(c.n3)"
          )
        }
        basis = value
      case "four_body":
        _ = try requireCounts(line)
        for later in ["spline_bank", "regressor", "training_domain"] {
          if let first = seen[later] {
            throw error(
              line.number, "'four_body' must come before the first '\(later)' (line \(first))")
          }
        }
        guard line.words.count == 2 else {
          throw error(
            line.number,
            "expected 1 value after 'four_body' (four-body radial splines A), found \(line.words.count - 1)"
          )
        }
        fourBody = try integer(
          line.words[1], line, "the number of four-body radial splines A", minimum: 1,
          maximum: InputLimits.maxFilters)
      case "shared_filters":
        if let first = seen["spline_bank"] {
          throw error(
            line.number, "'shared_filters' must come before the first 'spline_bank' (line \(first))"
          )
        }
        shared = try flag(line)
      case "skip_connection": skip = try flag(line)
      case "softplus_output": softplus = try flag(line)
      case "bias":
        let els = try requireElements(line)
        guard line.words.count == els.count + 1 else {
          throw error(
            line.number,
            "expected \(els.count) values after 'bias' (one per element), found \(line.words.count - 1)"
          )
        }
        bias = try line.words.dropFirst().map { try double($0, line, "a bias") }
      case "core":
        let els = try requireElements(line)
        guard line.words.count >= 2, line.words[1] == "zbl" else {
          throw error(
            line.number,
            "expected 'core zbl <inner Å> <outer Å> <Z per element>', found '\(line.words.joined(separator: " "))'"
          )
        }
        guard line.words.count == els.count + 4 else {
          throw error(
            line.number,
            "expected \(els.count + 2) values after 'core zbl' (inner, outer, then one atomic number per element), found \(line.words.count - 2)"
          )
        }
        let v = try line.words.dropFirst(2).map { try double($0, line, "a core parameter") }
        let value = CoreRepulsion(atomicNumbers: Array(v[2...]), inner: v[0], outer: v[1])
        if let problem = value.validationProblem(elementCount: els.count) {
          throw error(line.number, problem)
        }
        core = (line, value)
      case "spline_bank":
        let els = try requireElements(line)
        let c = try requireCounts(line)
        if seen["spline_bank"] == nil { seen["spline_bank"] = line.number }
        try parseBank(
          line, elements: els, counts: c, fourBody: fourBody, shared: shared, basis: basis,
          into: &banks)
      case "regressor":
        let els = try requireElements(line)
        let c = try requireCounts(line)
        if seen["regressor"] == nil { seen["regressor"] = line.number }
        guard line.words.count >= 3 else {
          throw error(
            line.number, "expected 'regressor <element> none|network <layers>|embedding <knots>'")
        }
        guard let e = els.firstIndex(of: String(line.words[1])) else {
          throw error(
            line.number,
            "unknown element '\(line.words[1])' in 'regressor' (elements: \(els.joined(separator: " ")))"
          )
        }
        let heads = committee?.heads ?? 1
        let previous = regressors[e] ?? []
        if previous.count >= heads {
          throw error(
            line.number,
            heads == 1
              ? "duplicate regressor for element \(els[e]) (a committee of network heads needs 'committee <K>' before the regressors)"
              : "more than \(heads) regressors for element \(els[e]) (committee \(heads))")
        }
        regressors[e, default: []].append(
          (line, try parseRegressor(line, element: els[e], inputs: c.n3 + c.n2 + 2 * fourBody)))
      case "committee":
        guard line.words.count == 2 else {
          throw error(line.number, "expected 'committee <K heads>'")
        }
        let k = try integer(line.words[1], line, "the number of committee heads", minimum: 1)
        guard k <= PotentialFile.maximumCommitteeHeads else {
          throw error(
            line.number,
            "expected at most \(PotentialFile.maximumCommitteeHeads) committee heads, found \(k)")
        }
        if !regressors.isEmpty {
          throw error(line.number, "'committee' must come before the first 'regressor'")
        }
        committee = (line, k)
      case "training_domain":
        let els = try requireElements(line)
        let c = try requireCounts(line)
        if seen["training_domain"] == nil { seen["training_domain"] = line.number }
        let (e, block) = try parseDomain(
          line, elements: els, filterCount: c.n3 + c.n2 + 2 * fourBody)
        if domains[e] != nil { throw error(line.number, "duplicate training_domain \(els[e])") }
        domains[e] = block
      case "closest_approach":
        let els = try requireElements(line)
        guard line.words.count == 3 else {
          throw error(line.number, "expected 'closest_approach <A-B> <distance Å>'")
        }
        let index = try pairIndex(line.words[1], line, elements: els, record: "closest_approach")
        let r = try double(line.words[2], line, "the closest approach")
        guard r > 0 else {
          throw error(line.number, "expected a positive closest approach, found \(r)")
        }
        if closest[index] != nil {
          throw error(line.number, "duplicate closest_approach \(line.words[1])")
        }
        closest[index] = (line, r)
      case "end":
        ended = true
        if cursor < lines.count {
          throw error(
            lines[cursor].number, "unexpected content after 'end': '\(lines[cursor].words[0])'")
        }
      case "knots", "spline", "layer", "row", "min", "max", "active":
        throw error(
          line.number,
          "'\(keyword)' outside the block it belongs to (a count in the line that opens the block may be wrong)"
        )
      default:
        var message = "unknown keyword '\(keyword)'"
        if let s = nearest(keyword, in: topLevelKeywords) { message += " (did you mean '\(s)'?)" }
        throw error(line.number, message)
      }
    }
    guard ended else {
      throw error(nil, "unexpected end of file: expected 'end' (the file may be truncated)")
    }
    guard let elements else { throw error(nil, "missing 'elements'") }
    guard let counts else { throw error(nil, "missing 'filters'") }
    guard let skip else { throw error(nil, "missing 'skip_connection'") }
    guard let softplus else { throw error(nil, "missing 'softplus_output'") }
    guard let bias else { throw error(nil, "missing 'bias'") }
    let n = elements.count
    let pairNames = (0..<(n * (n + 1) / 2)).map { index -> String in
      for a in 0..<n {
        for b in a..<n where Potential.pairIndex(a, b, elementCount: n) == index {
          return "\(elements[a])-\(elements[b])"
        }
      }
      return "?"
    }
    func collect(_ role: String, _ expected: Int, _ names: [String]) throws -> [SplineBank] {
      let found = banks[role] ?? [:]
      return try (0..<expected).map { k in
        guard let b = found[k] else {
          if shared {
            throw error(
              nil,
              "missing 'spline_bank \(role) \(names[k])' (shared_filters 1: one bank serves every element)"
            )
          }
          throw error(
            nil,
            "missing 'spline_bank \(role) \(names[k])' (every \(names == elements ? "element" : "element pair") needs one)"
          )
        }
        return b
      }
    }
    let f = try collect("f", counts.n3 > 0 ? (shared ? 1 : n) : 0, shared ? ["*"] : elements)
    let g = try collect(
      "g", counts.n3 > 0 ? (shared ? 1 : pairNames.count) : 0, shared ? ["*-*"] : pairNames)
    let rho = try collect("rho", counts.n2 > 0 ? (shared ? 1 : n) : 0, shared ? ["*"] : elements)
    let h = try collect("h", fourBody > 0 ? (shared ? 1 : n) : 0, shared ? ["*"] : elements)
    let pair: [SplineBank]? =
      banks["pair"] == nil ? nil : try collect("pair", pairNames.count, pairNames)
    let heads = committee?.heads ?? 1
    let regs = try (0..<n).map { e -> Regressor in
      guard let list = regressors[e] else {
        throw error(nil, "missing 'regressor \(elements[e]) ...'")
      }
      if heads == 1 { return list[0].value }
      var nets: [MLP] = []
      for (line, r) in list {
        guard case .network(let net) = r else {
          throw error(
            line.number,
            "expected 'regressor \(elements[e]) network <layers>': every head of a committee is a network"
          )
        }
        nets.append(net)
      }
      guard nets.count == heads else {
        throw error(
          nil,
          "expected \(heads) 'regressor \(elements[e]) network' heads (committee \(heads)), found \(nets.count)"
        )
      }
      return .committee(nets)
    }
    var domain: TrainingDomain?
    if !domains.isEmpty || !closest.isEmpty {
      for e in 0..<n where domains[e] == nil {
        throw error(
          nil,
          "missing 'training_domain \(elements[e]) ...' (a training domain needs one block per element)"
        )
      }
      for k in 0..<pairNames.count where closest[k] == nil {
        throw error(
          nil,
          "missing 'closest_approach \(pairNames[k]) <Å>' (a training domain needs one per element pair)"
        )
      }
      domain = TrainingDomain(
        elements: (0..<n).map { domains[$0]! },
        closestApproach: (0..<pairNames.count).map { closest[$0]!.value })
    }
    if f.isEmpty && rho.isEmpty && h.isEmpty && pair == nil {
      throw error(
        nil,
        "the potential has no filters and no pair term, so it has no cutoff: expected 'filters' with N3 + N2 > 0 or 'spline_bank pair' blocks"
      )
    }
    var potential = Potential(
      elements: elements, threeBodyCount: counts.n3, twoBodyCount: counts.n2, f: f, g: g, rho: rho,
      pair: pair,
      regressors: regs, skipConnection: skip, softplusOutput: softplus, bias: bias,
      sharedFilters: shared,
      threeBodyBasis: counts.n3 > 0 ? basis : nil, fourBodySplines: fourBody, h: h)
    if let core {
      guard core.value.outer <= potential.cutoff else {
        throw error(
          core.line.number,
          "the core's outer distance \(core.value.outer) Å exceeds the potential's cutoff \(potential.cutoff) Å"
        )
      }
      potential.core = core.value
    }
    if let domain {
      if let problem = domain.validationProblem(
        elementCount: n, filterCount: counts.n3 + counts.n2 + 2 * fourBody)
      {
        throw error(nil, "invalid training domain: \(problem)")
      }
      potential.domain = domain
    }
    return PotentialFile(
      potential: potential, metadata: metadata, date: date, contributor: contributor)
  }

  mutating func parseKnots(_ count: Int, context: String) throws -> [Double] {
    let line = try expect("knots", values: count, context: context)
    let knots = try line.words.dropFirst().map { try double($0, line, "a knot") }
    for k in 1..<knots.count where !(knots[k] > knots[k - 1]) {
      throw error(
        line.number,
        "knots must increase strictly (\(context)): knot \(k + 1) is \(knots[k]) after \(knots[k - 1])"
      )
    }
    for k in 1..<knots.count where !(knots[k] - knots[k - 1] >= InputLimits.minKnotSpacing) {
      throw error(
        line.number,
        "knots must be at least \(InputLimits.minKnotSpacing) apart (\(context)): knot \(k + 1) is \(knots[k]), only \(knots[k] - knots[k - 1]) after \(knots[k - 1])"
      )
    }
    return knots
  }

  mutating func parseSpline(_ knots: [Double], context: String) throws -> CubicSpline {
    let line = try expect(
      "spline", values: knots.count + 2,
      context: context + ": 2 end slopes and \(knots.count) knot values")
    let v = try line.words.dropFirst().map { try double($0, line, "a spline parameter") }
    return CubicSpline(knots: knots, values: Array(v[2...]), startSlope: v[0], endSlope: v[1])
  }

  mutating func parseBank(
    _ line: Line, elements: [String], counts: (n3: Int, n2: Int), fourBody: Int, shared: Bool,
    basis: ThreeBodyBasis?,
    into banks: inout [String: [Int: SplineBank]]
  ) throws {
    let roles = ["f", "g", "rho", "h", "pair"]
    guard line.words.count >= 2 else {
      throw error(line.number, "expected 'spline_bank <role> ...'")
    }
    let role = String(line.words[1])
    guard roles.contains(role) else {
      var m = "unknown spline_bank role '\(role)', expected one of f, g, rho, h, pair"
      if let s = nearest(role, in: roles) { m += " (did you mean '\(s)'?)" }
      throw error(line.number, m)
    }
    let radial = role != "g"
    let expectedWords = radial ? 6 : 5
    guard line.words.count == expectedWords else {
      throw error(
        line.number,
        "expected 'spline_bank \(role) <\(role == "f" || role == "rho" || role == "h" ? "element" : "A-B")> <splines> <knots>\(radial ? " <cutoff>" : "")', found \(line.words.count - 1) values"
      )
    }
    let n = elements.count
    let name = String(line.words[2])
    let index: Int
    let filterRole = role != "pair"
    let wildcard = role == "g" ? "*-*" : "*"
    if filterRole && shared {
      guard name == wildcard else {
        throw error(
          line.number,
          "expected 'spline_bank \(role) \(wildcard)' (shared_filters 1: one bank serves every element), found '\(name)'"
        )
      }
      index = 0
    } else if name.contains("*") {
      throw error(
        line.number,
        role == "pair"
          ? "the pair term is per element pair even with shared filters: expected a pair like '\(elements[0])-\(elements[n - 1])', found '\(name)'"
          : "'\(name)' (a shared bank) needs 'shared_filters 1' before the first spline_bank")
    } else if role == "f" || role == "rho" || role == "h" {
      guard let e = elements.firstIndex(of: name) else {
        throw error(
          line.number,
          "unknown element '\(name)' in spline_bank \(role) (elements: \(elements.joined(separator: " ")))"
        )
      }
      index = e
    } else {
      let parts = name.split(separator: "-").map(String.init)
      guard parts.count == 2, let a = elements.firstIndex(of: parts[0]),
        let b = elements.firstIndex(of: parts[1])
      else {
        throw error(
          line.number,
          "expected an element pair like '\(elements[0])-\(elements[n - 1])' in spline_bank \(role), found '\(name)'"
        )
      }
      index = Potential.pairIndex(a, b, elementCount: n)
    }
    if banks[role]?[index] != nil {
      throw error(line.number, "duplicate spline_bank \(role) \(name)")
    }
    let expectedSplines: Int
    switch role {
    case "f": expectedSplines = basis?.radial ?? counts.n3
    case "g": expectedSplines = basis?.angular ?? counts.n3
    case "rho": expectedSplines = counts.n2
    case "h": expectedSplines = fourBody
    default: expectedSplines = 1
    }
    let m = try integer(line.words[3], line, "the number of splines", minimum: 0)
    guard m == expectedSplines, m > 0 else {
      throw error(
        line.number,
        expectedSplines == 0
          ? (role == "h"
            ? "spline_bank h given but no 'four_body <A>' record before it declares four-body filters"
            : "spline_bank \(role) given but 'filters' declares no \(role == "rho" ? "two" : "three")-body filters")
          : "expected \(expectedSplines) splines in spline_bank \(role) \(name)\(basis != nil && (role == "f" || role == "g") ? " (three_body_basis)" : ""), found \(m)"
      )
    }
    let k = try integer(
      line.words[4], line, "the number of knots", minimum: 2, maximum: InputLimits.maxKnots)
    var cutoff = Double.infinity
    if radial {
      if let c = Double(line.words[5]), c.isFinite, c > InputLimits.maxCutoff {
        throw error(
          line.number,
          "expected a cutoff of at most \(InputLimits.maxCutoff) Å, found \(line.words[5])")
      }
      cutoff = try double(line.words[5], line, "the cutoff")
      guard cutoff > 0 else {
        throw error(line.number, "expected a positive cutoff, found \(cutoff)")
      }
      guard cutoff <= InputLimits.maxCutoff else {
        throw error(
          line.number,
          "expected a cutoff of at most \(InputLimits.maxCutoff) Å, found \(line.words[5])")
      }
    }
    let context = "spline_bank \(role) \(name)"
    let knots = try parseKnots(k, context: context)
    var splines: [CubicSpline] = []
    for s in 0..<m {
      splines.append(try parseSpline(knots, context: context + ", spline \(s + 1) of \(m)"))
    }
    banks[role, default: [:]][index] = SplineBank(splines: splines, cutoff: cutoff)
  }

  func pairIndex(_ word: Substring, _ line: Line, elements: [String], record: String) throws -> Int
  {
    let parts = word.split(separator: "-").map(String.init)
    guard parts.count == 2, let a = elements.firstIndex(of: parts[0]),
      let b = elements.firstIndex(of: parts[1])
    else {
      throw error(
        line.number,
        "expected an element pair like '\(elements[0])-\(elements[elements.count - 1])' in \(record), found '\(word)'"
      )
    }
    return Potential.pairIndex(a, b, elementCount: elements.count)
  }

  /// `training_domain <El> <atoms> <M>`, then `min`, `max` and M `active` lines.
  mutating func parseDomain(
    _ line: Line, elements: [String], filterCount nf: Int
  ) throws -> (Int, TrainingDomain.ElementDomain) {
    guard line.words.count == 4 else {
      throw error(line.number, "expected 'training_domain <element> <atoms> <active vectors>'")
    }
    guard let e = elements.firstIndex(of: String(line.words[1])) else {
      throw error(
        line.number,
        "unknown element '\(line.words[1])' in 'training_domain' (elements: \(elements.joined(separator: " ")))"
      )
    }
    let atoms = try integer(line.words[2], line, "the number of training atoms", minimum: 1)
    let m = try integer(line.words[3], line, "the number of active vectors", minimum: 1)
    guard m == nf + 1 else {
      throw error(
        line.number,
        "expected \(nf + 1) active vectors (filters + 1) in training_domain \(elements[e]), found \(m)"
      )
    }
    let context = "training_domain \(elements[e])"
    let lo = try expect("min", values: nf, context: context + ": the smallest value of each filter")
    let hi = try expect("max", values: nf, context: context + ": the largest value of each filter")
    let minimum = try lo.words.dropFirst().map { try double($0, lo, "a filter minimum") }
    let maximum = try hi.words.dropFirst().map { try double($0, hi, "a filter maximum") }
    for a in 0..<nf where maximum[a] < minimum[a] {
      throw error(
        hi.number,
        "filter \(a + 1)'s maximum \(maximum[a]) is below its minimum \(minimum[a]) (\(context))")
    }
    var active: [[Double]] = []
    for k in 0..<m {
      let row = try expect(
        "active", values: nf, context: context + ", active vector \(k + 1) of \(m)")
      active.append(try row.words.dropFirst().map { try double($0, row, "a filter value") })
    }
    return (
      e,
      TrainingDomain.ElementDomain(atoms: atoms, minimum: minimum, maximum: maximum, active: active)
    )
  }

  mutating func parseRegressor(_ line: Line, element: String, inputs: Int) throws -> Regressor {
    let kind = String(line.words[2])
    switch kind {
    case "none":
      guard line.words.count == 3 else {
        throw error(line.number, "expected nothing after 'regressor \(element) none'")
      }
      return .none
    case "embedding":
      guard line.words.count == 4 else {
        throw error(line.number, "expected 'regressor \(element) embedding <knots>'")
      }
      let k = try integer(
        line.words[3], line, "the number of knots", minimum: 2, maximum: InputLimits.maxKnots)
      let context = "embedding of \(element)"
      let knots = try parseKnots(k, context: context)
      return .embedding(try parseSpline(knots, context: context))
    case "network":
      guard line.words.count == 4 else {
        throw error(line.number, "expected 'regressor \(element) network <layers>'")
      }
      let count = try integer(
        line.words[3], line, "the number of layers", minimum: 1, maximum: InputLimits.maxLayers)
      var layers: [DenseLayer] = []
      var width = inputs
      for l in 0..<count {
        let context = "layer \(l + 1) of \(count) of the network of \(element)"
        let head = try expect("layer", values: 4, context: context)
        let nIn = try integer(
          head.words[1], head, "the layer inputs", minimum: 1, maximum: InputLimits.maxLayerWidth)
        let nOut = try integer(
          head.words[2], head, "the layer outputs", minimum: 1, maximum: InputLimits.maxLayerWidth)
        guard nIn == width else {
          throw error(
            head.number,
            "expected \(width) inputs to \(context) (\(l == 0 ? "the number of filters N3 + N2" : "the outputs of the previous layer")), found \(nIn)"
          )
        }
        if l == count - 1 && nOut != 1 {
          throw error(
            head.number,
            "expected 1 output from the last layer of the network of \(element), found \(nOut)")
        }
        guard let act = Activation(rawValue: String(head.words[3])) else {
          throw error(
            head.number, "expected activation 'celu' or 'linear', found '\(head.words[3])'")
        }
        let hasBias: Bool
        switch head.words[4] {
        case "bias": hasBias = true
        case "nobias": hasBias = false
        default: throw error(head.number, "expected 'bias' or 'nobias', found '\(head.words[4])'")
        }
        var weights: [Double] = []
        var biases: [Double] = []
        for o in 0..<nOut {
          let row = try expect(
            "row", values: nIn + (hasBias ? 1 : 0),
            context:
              "\(context), output \(o + 1) of \(nOut): \(nIn) weights\(hasBias ? " and a bias" : "")"
          )
          let v = try row.words.dropFirst().map { try double($0, row, "a network weight") }
          weights += v[0..<nIn]
          if hasBias { biases.append(v[nIn]) }
        }
        layers.append(
          DenseLayer(
            inputs: nIn, outputs: nOut, weights: weights, biases: hasBias ? biases : nil,
            activation: act))
        width = nOut
      }
      return .network(MLP(layers: layers))
    default:
      throw error(
        line.number,
        "expected 'none', 'network' or 'embedding' after 'regressor \(element)', found '\(kind)'")
    }
  }
}
