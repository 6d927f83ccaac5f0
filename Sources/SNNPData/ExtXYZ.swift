import SNNPCore
import SNNPFormat

/// One frame of an extended-XYZ file: atoms, cell and the reference labels.
public struct Frame: Sendable {
  /// Element symbol of each atom.
  public var symbols: [String]
  /// Positions (Å).
  public var positions: [SIMD3<Double>]
  /// Cell vectors a, b, c as rows (Å); zero when the file gives no `Lattice`.
  public var cell: [SIMD3<Double>]
  /// Periodicity along a, b, c.
  public var pbc: [Bool]
  /// Reference total energy (eV), if the frame has `energy=`.
  public var energy: Double?
  /// Reference forces (eV/Å), if the frame has a `forces` property.
  public var forces: [SIMD3<Double>]?
  /// Reference stress, 3×3 row-major, ASE convention (eV/Å³, positive = tensile), if given.
  public var stress: [Double]?
  /// The frame's `config_type`, used for per-group weights and errors.
  public var configType: String?
  /// Every key=value pair of the comment line, as written.
  public var info: [String: String]
  /// 1-based line number of the frame's atom-count line.
  public var line: Int

  /// Number of atoms.
  public var count: Int { symbols.count }

  /// Creates a frame.
  public init(
    symbols: [String], positions: [SIMD3<Double>], cell: [SIMD3<Double>], pbc: [Bool],
    energy: Double?,
    forces: [SIMD3<Double>]?, stress: [Double]?, configType: String?, info: [String: String],
    line: Int
  ) {
    self.symbols = symbols
    self.positions = positions
    self.cell = cell
    self.pbc = pbc
    self.energy = energy
    self.forces = forces
    self.stress = stress
    self.configType = configType
    self.info = info
    self.line = line
  }

  /// The structure with element indices taken from `elements`.
  /// - Throws: ``DataError`` when an atom's element is not in `elements`.
  public func structure(elements: [String], file: String) throws -> Structure {
    var species: [Int] = []
    species.reserveCapacity(count)
    for (k, s) in symbols.enumerated() {
      guard let e = elements.firstIndex(of: s) else {
        throw DataError(
          "\(file): frame at line \(line): atom \(k + 1) is \(s), which the potential does not describe (elements: \(elements.joined(separator: " ")))"
        )
      }
      species.append(e)
    }
    return Structure(cell: cell, pbc: pbc, positions: positions, species: species)
  }
}

/// A problem with input data, naming file, frame and line.
public struct DataError: Error, CustomStringConvertible, Equatable {
  /// The message.
  public let description: String
  /// Creates an error.
  public init(_ description: String) { self.description = description }
}

/// Reader for ASE extended XYZ (DESIGN.md §6): `Lattice=`, `Properties=` with
/// `species`, `pos` and optional `forces`, `energy=`, `stress=` (9 or 6
/// numbers), `pbc=`, `config_type=`; other keys are kept in `info`.
public enum ExtXYZ {
  /// Reads every frame of `path`.
  /// - Throws: ``DataError`` with file, frame and line, or ``FileError``.
  public static func read(path: String) throws -> [Frame] {
    let frames = try parse(try TextFile.read(path), file: path)
    guard !frames.isEmpty else {
      throw DataError("\(path): no frames (the file is empty or holds only blank lines)")
    }
    return frames
  }

  /// Parses extended-XYZ text; `file` names it in errors. CRLF line endings and a
  /// UTF-8 byte-order mark are accepted.
  public static func parse(_ text: String, file: String) throws -> [Frame] {
    let lines = TextFile.normalized(text).split(separator: "\n", omittingEmptySubsequences: false)
    // The empty piece after a final newline is not a line of the file.
    let lineCount = lines.count - (lines.last?.isEmpty == true ? 1 : 0)
    var frames: [Frame] = []
    var k = 0
    while k < lines.count {
      let countLine = lines[k].trimmingWhitespace()
      if countLine.isEmpty {
        k += 1
        continue
      }
      let frameNumber = frames.count + 1
      func fail(_ line: Int, _ m: String) -> DataError {
        DataError("\(file):\(line): frame \(frameNumber): \(m)")
      }
      guard let n = Int(countLine), n >= 0 else {
        throw fail(k + 1, "expected the number of atoms, found '\(countLine.prefix(40))'")
      }
      guard k + 1 < lineCount else {
        throw fail(
          k + 1, "the file ends after the number of atoms: the comment line is missing (truncated?)"
        )
      }
      // Compared before any arithmetic on n, which may be as large as Int.max.
      guard n < lineCount, k + 1 + n < lineCount else {
        throw fail(k + 1, "the file ends before the \(n) atoms of this frame (truncated?)")
      }
      let info = try parseInfo(String(lines[k + 1]), fail: { fail(k + 2, $0) })
      let lower = Dictionary(
        info.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
      // Properties.
      let props = (lower["properties"] ?? "species:S:1:pos:R:3").split(separator: ":")
      guard props.count % 3 == 0 else {
        throw fail(k + 2, "malformed Properties=: expected name:type:count triplets")
      }
      var column = 0
      var columns: [String: (start: Int, count: Int, type: Substring)] = [:]
      for p in stride(from: 0, to: props.count, by: 3) {
        guard let c = Int(props[p + 2]), c > 0, c <= 1000 else {
          throw fail(k + 2, "malformed Properties=: bad count '\(props[p + 2])'")
        }
        columns[String(props[p]).lowercased()] = (column, c, props[p + 1])
        column += c
      }
      guard let speciesColumn = columns["species"] ?? columns["element"],
        let pos = columns["pos"] ?? columns["positions"],
        pos.count == 3
      else {
        throw fail(k + 2, "Properties= must include species:S:1 and pos:R:3")
      }
      guard speciesColumn.count == 1 else {
        throw fail(
          k + 2, "malformed Properties=: species must have 1 column, found \(speciesColumn.count)")
      }
      let forceColumn = columns["forces"] ?? columns["force"]
      if let fc = forceColumn, fc.count != 3 {
        throw fail(
          k + 2, "malformed Properties=: forces must have 3 columns (forces:R:3), found \(fc.count)"
        )
      }
      func numbers(_ key: String, _ count: [Int]) throws -> [Double]? {
        guard let v = lower[key] else { return nil }
        let parts = v.split(whereSeparator: { $0 == " " || $0 == "," })
        guard count.contains(parts.count) else {
          throw fail(
            k + 2,
            "expected \(count.map(String.init).joined(separator: " or ")) numbers in \(key)=, found \(parts.count)"
          )
        }
        return try parts.map {
          guard let d = Double($0), d.isFinite else {
            throw fail(k + 2, "expected a finite number in \(key)=, found '\($0)'")
          }
          guard abs(d) <= InputLimits.maxMagnitude else {
            throw fail(
              k + 2,
              "expected numbers of magnitude at most \(InputLimits.maxMagnitudeText) in \(key)=, found '\($0)'"
            )
          }
          return d
        }
      }
      var cell = [SIMD3<Double>](repeating: .zero, count: 3)
      var pbc = [false, false, false]
      if let l = try numbers("lattice", [9]) {
        cell = [SIMD3(l[0], l[1], l[2]), SIMD3(l[3], l[4], l[5]), SIMD3(l[6], l[7], l[8])]
        pbc = [true, true, true]
      }
      if let p = lower["pbc"] {
        let flags = p.split(separator: " ")
        guard flags.count == 3 else {
          throw fail(k + 2, "expected three flags in pbc=, found '\(p)'")
        }
        pbc = try flags.map {
          switch $0.uppercased() {
          case "T", "TRUE", "1": return true
          case "F", "FALSE", "0": return false
          default: throw fail(k + 2, "expected T or F in pbc=, found '\($0)'")
          }
        }
        if pbc.contains(true) && lower["lattice"] == nil {
          throw fail(k + 2, "pbc= is periodic but there is no Lattice=")
        }
      }
      var energy: Double?
      if let e = lower["energy"] {
        guard let v = Double(e), v.isFinite else {
          throw fail(k + 2, "expected a finite number in energy=, found '\(e)'")
        }
        guard abs(v) <= InputLimits.maxMagnitude else {
          throw fail(
            k + 2,
            "expected an energy of magnitude at most \(InputLimits.maxMagnitudeText) eV in energy=, found '\(e)'"
          )
        }
        energy = v
      }
      var stress = try numbers("stress", [9, 6])
      if let s = stress, s.count == 6 {  // Voigt xx yy zz yz xz xy
        stress = [s[0], s[5], s[4], s[5], s[1], s[3], s[4], s[3], s[2]]
      }
      var symbols: [String] = []
      var positions: [SIMD3<Double>] = []
      var forces: [SIMD3<Double>] = []
      symbols.reserveCapacity(n)
      positions.reserveCapacity(n)
      for a in 0..<n {
        let lineNumber = k + 3 + a
        let words = lines[k + 2 + a].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }
        )
        guard words.count == column else {
          throw fail(
            lineNumber,
            "atom \(a + 1): expected \(column) columns (Properties=\(lower["properties"] ?? "species:S:1:pos:R:3")), found \(words.count)"
          )
        }
        func value(_ c: Int, _ what: String) throws -> Double {
          guard let v = Double(words[c]), v.isFinite else {
            throw fail(
              lineNumber, "atom \(a + 1): expected a finite number for \(what), found '\(words[c])'"
            )
          }
          guard abs(v) <= InputLimits.maxMagnitude else {
            throw fail(
              lineNumber,
              "atom \(a + 1): expected \(what) of magnitude at most \(InputLimits.maxMagnitudeText), found '\(words[c])'"
            )
          }
          return v
        }
        symbols.append(String(words[speciesColumn.start]))
        positions.append(
          SIMD3(
            try value(pos.start, "x"), try value(pos.start + 1, "y"), try value(pos.start + 2, "z"))
        )
        if let fc = forceColumn {
          forces.append(
            SIMD3(
              try value(fc.start, "fx"), try value(fc.start + 1, "fy"),
              try value(fc.start + 2, "fz")))
        }
      }
      frames.append(
        Frame(
          symbols: symbols, positions: positions, cell: cell, pbc: pbc, energy: energy,
          forces: forceColumn == nil ? nil : forces, stress: stress,
          configType: info["config_type"], info: info,
          line: k + 1))
      k += 2 + n
    }
    return frames
  }

  /// Splits the comment line into key=value pairs; values may be double-quoted.
  static func parseInfo(_ line: String, fail: (String) -> DataError) throws -> [String: String] {
    var result: [String: String] = [:]
    let chars = Array(line)
    var k = 0
    func skipSpace() {
      while k < chars.count && (chars[k] == " " || chars[k] == "\t" || chars[k] == "\r") { k += 1 }
    }
    while true {
      skipSpace()
      if k >= chars.count { break }
      var key = ""
      while k < chars.count && chars[k] != "=" && chars[k] != " " && chars[k] != "\t" {
        key.append(chars[k])
        k += 1
      }
      guard k < chars.count, chars[k] == "=" else {
        result[key] = "T"  // a bare flag
        continue
      }
      k += 1
      var value = ""
      if k < chars.count && (chars[k] == "\"" || chars[k] == "{") {
        let close: Character = chars[k] == "\"" ? "\"" : "}"
        k += 1
        while k < chars.count && chars[k] != close {
          if chars[k] == "\\" && k + 1 < chars.count { k += 1 }
          value.append(chars[k])
          k += 1
        }
        guard k < chars.count else { throw fail("unterminated quoted value for key '\(key)'") }
        k += 1
      } else {
        while k < chars.count && chars[k] != " " && chars[k] != "\t" {
          value.append(chars[k])
          k += 1
        }
      }
      result[key] = value
    }
    return result
  }
}

extension Substring {
  func trimmingWhitespace() -> Substring {
    var s = self
    while let c = s.first, c == " " || c == "\t" || c == "\r" { s = s.dropFirst() }
    while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
    return s
  }
}

extension ExtXYZ {
  /// Extended-XYZ text of `frames` (positions, and forces when every frame has
  /// them; energy, stress, pbc and config_type in the comment line). Numbers are
  /// written in shortest round-trip form, so reading the text back is exact.
  public static func text(_ frames: [Frame]) -> String {
    var out = ""
    let withForces = frames.allSatisfy { $0.forces != nil }
    for f in frames {
      out += "\(f.count)\n"
      var info: [String] = []
      let c = f.cell
      info.append(
        "Lattice=\"\([c[0].x, c[0].y, c[0].z, c[1].x, c[1].y, c[1].z, c[2].x, c[2].y, c[2].z].map { "\($0)" }.joined(separator: " "))\""
      )
      info.append("Properties=species:S:1:pos:R:3" + (withForces ? ":forces:R:3" : ""))
      if let e = f.energy { info.append("energy=\(e)") }
      if let s = f.stress { info.append("stress=\"\(s.map { "\($0)" }.joined(separator: " "))\"") }
      info.append("pbc=\"\(f.pbc.map { $0 ? "T" : "F" }.joined(separator: " "))\"")
      if let t = f.configType { info.append("config_type=\(infoValue(t))") }
      out += info.joined(separator: " ") + "\n"
      for k in 0..<f.count {
        let p = f.positions[k]
        var line = "\(f.symbols[k]) \(p.x) \(p.y) \(p.z)"
        if withForces, let fr = f.forces { line += " \(fr[k].x) \(fr[k].y) \(fr[k].z)" }
        out += line + "\n"
      }
    }
    return out
  }

  /// `value` as a comment-line value: as it is, or double-quoted with `"` and `\` escaped
  /// when it is empty or holds a space, a tab, a quote, a backslash or `=` (which would
  /// otherwise split it or change its meaning when read back).
  static func infoValue(_ value: String) -> String {
    guard value.isEmpty || value.contains(where: { " \t\"\\={}".contains($0) }) else {
      return value
    }
    var out = "\""
    for c in value {
      if c == "\"" || c == "\\" { out.append("\\") }
      out.append(c)
    }
    return out + "\""
  }
}

extension Frame {
  /// Runs `body` (typically an evaluation of this frame) and turns a
  /// ``GeometryError`` it throws into a ``DataError`` that names `file`, the frame's
  /// line and, when given, its 1-based number `index`.
  public func locatingErrors<T>(file: String, index: Int? = nil, _ body: () throws -> T) throws -> T
  {
    do {
      return try body()
    } catch let e as GeometryError {
      throw DataError(
        "\(file):\(line): frame \(index.map(String.init) ?? "at line \(line)"): \(e.description)")
    }
  }
}
