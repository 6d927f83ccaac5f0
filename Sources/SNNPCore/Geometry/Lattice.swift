/// The cubic lattices of the elemental data sets: neighbour shells (for the reference
/// circles of the filter maps) and conventional cells (for energy paths and properties).
public enum Lattice: String, CaseIterable, Sendable {
  /// Body-centred cubic.
  case bcc
  /// Face-centred cubic.
  case fcc
  /// Diamond cubic.
  case diamond

  /// First and second neighbour distances (Å) for cubic lattice constant `a` (Å).
  public func neighborDistances(a: Double) -> [Double] {
    switch self {
    case .bcc: return [a * 3.0.squareRoot() / 2, a]
    case .fcc: return [a / 2.0.squareRoot(), a]
    case .diamond: return [a * 3.0.squareRoot() / 4, a / 2.0.squareRoot()]
    }
  }
}

extension Lattice {
  /// Fractional positions of the atoms of the conventional cubic cell.
  public var basis: [SIMD3<Double>] {
    let fcc: [SIMD3<Double>] = [
      SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0),
    ]
    switch self {
    case .bcc: return [SIMD3(0, 0, 0), SIMD3(0.5, 0.5, 0.5)]
    case .fcc: return fcc
    case .diamond: return fcc + fcc.map { $0 + SIMD3(0.25, 0.25, 0.25) }
    }
  }

  /// The periodic conventional cubic cell with lattice constant `a` (Å), one element.
  public func cell(a: Double, element: Int) -> Structure {
    Structure(
      cell: [SIMD3(a, 0, 0), SIMD3(0, a, 0), SIMD3(0, 0, a)], pbc: [true, true, true],
      positions: basis.map { $0 * a }, species: [Int](repeating: element, count: basis.count))
  }
}
