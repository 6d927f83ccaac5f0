/// An atomic configuration: positions, elements and a (possibly periodic) cell.
public struct Structure: Equatable, Sendable {
  /// Cell vectors a, b, c (Å), as rows. Only the periodic ones need to be meaningful.
  public var cell: [SIMD3<Double>]
  /// Periodicity along a, b, c.
  public var pbc: [Bool]
  /// Cartesian positions (Å).
  public var positions: [SIMD3<Double>]
  /// Element index of each atom (into `Potential.elements`).
  public var species: [Int]

  /// Creates a structure. `cell` must hold three vectors and `pbc` three flags.
  public init(cell: [SIMD3<Double>], pbc: [Bool], positions: [SIMD3<Double>], species: [Int]) {
    precondition(cell.count == 3 && pbc.count == 3 && positions.count == species.count)
    self.cell = cell
    self.pbc = pbc
    self.positions = positions
    self.species = species
  }

  /// Number of atoms.
  public var count: Int { positions.count }

  /// Cell volume (Å³), |a · (b × c)|.
  public var volume: Double { abs(dot(cell[0], cross(cell[1], cell[2]))) }

  /// Returns a copy scaled by the deformation `(1 + ε)` applied to cell and positions,
  /// with ε a 3×3 matrix given by rows: x → (1 + ε) x.
  public func deformed(by strain: [SIMD3<Double>]) -> Structure {
    func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
      v + SIMD3(dot(strain[0], v), dot(strain[1], v), dot(strain[2], v))
    }
    var s = self
    s.cell = cell.map(apply)
    s.positions = positions.map(apply)
    return s
  }
}

/// Dot product.
@inline(__always) public func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
  (a * b).sum()
}

/// Cross product.
@inline(__always) public func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
  SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

/// Errors from geometry set-up (cell, periodic images).
public struct GeometryError: Error, CustomStringConvertible, Equatable {
  /// What is wrong.
  public let description: String
  /// Creates an error with `description`.
  public init(_ description: String) { self.description = description }
}

/// Local atoms followed by the periodic images ("ghosts") that lie within the
/// cutoff of the cell, in the flat layout the kernel takes (as LAMMPS does).
public struct AtomsWithImages {
  /// Number of real atoms (the first entries).
  public var localCount: Int
  /// Positions of local then ghost atoms, `3 * totalCount` numbers (Å).
  public var positions: [Double]
  /// Element index of every entry.
  public var species: [Int32]
  /// For each entry, the local atom it is an image of.
  public var owner: [Int]
  /// Local plus ghost atoms.
  public var totalCount: Int { owner.count }

  /// Builds the images of `structure` that can lie within `cutoff` of any local atom.
  ///
  /// Works for cells far smaller than the cutoff (many image layers) and for
  /// triclinic cells: images are kept when their fractional coordinate along each
  /// periodic direction lies within cutoff/width of the cell, width being the
  /// distance between opposite faces.
  public init(_ structure: Structure, cutoff: Double) throws {
    let n = structure.count
    localCount = n
    positions = []
    positions.reserveCapacity(3 * n)
    species = structure.species.map { Int32($0) }
    owner = Array(0..<n)
    let periodic = structure.pbc
    if !periodic.contains(true) {
      for p in structure.positions { positions += [p.x, p.y, p.z] }
      return
    }
    let a = structure.cell
    let volume = dot(a[0], cross(a[1], a[2]))
    guard abs(volume) > 1e-12 else {
      throw GeometryError("the cell is singular (volume \(volume) Å³) but the structure is periodic")
    }
    // Reciprocal rows: fractional s = x · recip[k].
    let recip = [cross(a[1], a[2]) / volume, cross(a[2], a[0]) / volume, cross(a[0], a[1]) / volume]
    var layers = [0, 0, 0]
    var reach = [0.0, 0.0, 0.0]
    for k in 0..<3 where periodic[k] {
      let width = 1.0 / (recip[k] * recip[k]).sum().squareRoot()
      reach[k] = cutoff / width
      layers[k] = Int((cutoff / width).rounded(.up))
    }
    let imageCount = (2 * layers[0] + 1) * (2 * layers[1] + 1) * (2 * layers[2] + 1)
    guard imageCount * max(n, 1) <= 50_000_000 else {
      throw GeometryError("the cell is too small for the cutoff: \(imageCount) periodic images needed")
    }
    // Wrap into the cell by whole lattice vectors (no change for atoms already inside).
    var wrapped = structure.positions
    var fractional = [SIMD3<Double>](repeating: .zero, count: n)
    for i in 0..<n {
      var x = wrapped[i]
      var s = SIMD3(dot(x, recip[0]), dot(x, recip[1]), dot(x, recip[2]))
      for k in 0..<3 where periodic[k] {
        let shift = s[k].rounded(.down)
        if shift != 0 {
          x -= shift * a[k]
          s[k] -= shift
        }
      }
      wrapped[i] = x
      fractional[i] = s
    }
    for p in wrapped { positions += [p.x, p.y, p.z] }
    for n0 in -layers[0]...layers[0] {
      for n1 in -layers[1]...layers[1] {
        for n2 in -layers[2]...layers[2] where !(n0 == 0 && n1 == 0 && n2 == 0) {
          let shiftIndex = SIMD3(Double(n0), Double(n1), Double(n2))
          let shift = shiftIndex.x * a[0] + shiftIndex.y * a[1] + shiftIndex.z * a[2]
          for i in 0..<n {
            let s = fractional[i] + shiftIndex
            var inside = true
            for k in 0..<3 where periodic[k] {
              if s[k] < -reach[k] || s[k] > 1 + reach[k] { inside = false; break }
            }
            if !inside { continue }
            let x = wrapped[i] + shift
            positions += [x.x, x.y, x.z]
            species.append(species[i])
            owner.append(i)
          }
        }
      }
    }
  }
}
