import SNNPCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A potential with the descriptive header of its file: the contents of a `.snnp` file.
///
/// The format is specified in docs/potential-format.md. Writing a file and
/// reading it back gives a bit-identical potential (numbers are written in the
/// shortest form that parses back to the same double).
public struct PotentialFile: Equatable, Sendable {
  /// Current format version, written on line 2 (`snnp 1`).
  public static let formatVersion = 1
  /// Largest number of committee heads a file may hold (and `snnp fit --committee` accepts).
  public static let maximumCommitteeHeads = 64
  /// The potential.
  public var potential: Potential
  /// Free-form provenance, written as `meta <key> <value>` lines (key without spaces).
  public var metadata: [Metadata]
  /// Date (YYYY-MM-DD) for the LAMMPS-style first line.
  public var date: String
  /// Who made the file (CONTRIBUTOR: on line 1).
  public var contributor: String

  /// One provenance entry.
  public struct Metadata: Equatable, Sendable {
    /// Key, no white space.
    public var key: String
    /// Value, one line.
    public var value: String
    /// Creates an entry.
    public init(key: String, value: String) {
      self.key = key
      self.value = value
    }
  }

  /// Creates a file model.
  public init(
    potential: Potential, metadata: [Metadata] = [], date: String = "2026-01-01",
    contributor: String = "snnp"
  ) {
    self.potential = potential
    self.metadata = metadata
    self.date = date
    self.contributor = contributor
  }

  /// Today's date (UTC) as YYYY-MM-DD, for the header line.
  public static func today() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
  }

  /// The citation written on line 1.
  public static let citation =
    "A. Vita and D. R. Trinkle, Spline-based neural network interatomic potentials: blending classical and machine learning models, Comput. Mater. Sci. (2024)"
}
