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

extension AtomsWithImages {
  /// Whether the three vectors span space: volume at least
  /// ``InputLimits/minRelativeVolume`` of |a| |b| |c|, all finite.
  static func isRegular(_ a: [SIMD3<Double>]) -> Bool {
    let volume = abs(dot(a[0], cross(a[1], a[2])))
    let scale = a.map { dot($0, $0).squareRoot() }.reduce(1, *)
    return volume.isFinite && scale.isFinite && volume > 0
      && volume >= InputLimits.minRelativeVolume * scale
  }
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
    for (i, p) in structure.positions.enumerated() {
      guard p.x.isFinite, p.y.isFinite, p.z.isFinite, max(abs(p.x), abs(p.y), abs(p.z)) <= 1e8
      else {
        throw GeometryError(
          "atom \(i + 1) is at \(p) Å: expected finite coordinates within 1e8 Å of the origin")
      }
    }
    if !periodic.contains(true) {
      for p in structure.positions { positions += [p.x, p.y, p.z] }
      return
    }
    guard n <= InputLimits.maxAtoms else {
      throw GeometryError(
        "the structure has \(n) atoms, more than the \(InputLimits.maxAtoms) supported")
    }
    guard cutoff.isFinite, cutoff > 0, cutoff <= InputLimits.maxCutoff else {
      throw GeometryError("the cutoff \(cutoff) Å is outside (0, \(InputLimits.maxCutoff)] Å")
    }
    var a = structure.cell
    for k in 0..<3 where periodic[k] {
      guard a[k].x.isFinite, a[k].y.isFinite, a[k].z.isFinite else {
        throw GeometryError("cell vector \(k + 1) is not finite: \(a[k])")
      }
    }
    // Non-periodic directions only need a vector that completes the cell: a zero or
    // parallel one (an ASE slab with pbc T T F and no c vector) is replaced by a unit
    // vector normal to the others.
    if periodic.contains(false) && !AtomsWithImages.isRegular(a) {
      let p = (0..<3).filter { periodic[$0] }
      let free = (0..<3).filter { !periodic[$0] }
      if p.count == 2 {
        let normal = cross(a[p[0]], a[p[1]])
        let length = dot(normal, normal).squareRoot()
        if length > 0 { a[free[0]] = normal / length }
      } else if p.count == 1 {
        let axis = a[p[0]]
        let trial =
          abs(axis.x) <= abs(axis.y) && abs(axis.x) <= abs(axis.z)
          ? SIMD3<Double>(1, 0, 0)
          : abs(axis.y) <= abs(axis.z) ? SIMD3<Double>(0, 1, 0) : SIMD3<Double>(0, 0, 1)
        let u = cross(axis, trial)
        let v = cross(axis, u)
        let lu = dot(u, u).squareRoot(), lv = dot(v, v).squareRoot()
        if lu > 0 && lv > 0 {
          a[free[0]] = u / lu
          a[free[1]] = v / lv
        }
      }
    }
    let volume = dot(a[0], cross(a[1], a[2]))
    guard AtomsWithImages.isRegular(a) else {
      throw GeometryError(
        "the cell is singular or nearly so (volume \(volume) Å³ for cell vectors of lengths \(a.map { dot($0, $0).squareRoot() }) Å) but the structure is periodic"
      )
    }
    // Reciprocal rows: fractional s = x · recip[k].
    let recip = [
      cross(a[1], a[2]) / volume, cross(a[2], a[0]) / volume, cross(a[0], a[1]) / volume,
    ]
    if periodic.allSatisfy({ $0 }) {
      // Average neighbours per atom within the cutoff; each costs memory, their
      // square costs time in the triplet loop.
      let expected = Double(n) / abs(volume) * 4.0 / 3.0 * Double.pi * cutoff * cutoff * cutoff
      guard expected <= Double(InputLimits.maxNeighbors) else {
        throw GeometryError(
          "\(n) atom\(n == 1 ? "" : "s") in a cell of \(abs(volume)) Å³: about \(Int(expected.rounded())) neighbours per atom within the cutoff \(cutoff) Å, more than the \(InputLimits.maxNeighbors) supported: the atoms are packed far more densely than in any material (check the Lattice and the positions)"
        )
      }
    }
    var layers = [0, 0, 0]
    var reach = [0.0, 0.0, 0.0]
    var images = 1.0
    for k in 0..<3 where periodic[k] {
      let width = 1.0 / (recip[k] * recip[k]).sum().squareRoot()
      reach[k] = cutoff / width
      let l = (cutoff / width).rounded(.up)
      images *= 2 * l + 1
      // Checked in floating point before any conversion to Int, so nothing overflows.
      guard l.isFinite, images * Double(max(n, 1)) <= Double(InputLimits.maxImageAtoms) else {
        throw GeometryError(
          "the cell is too small for the cutoff \(cutoff) Å: its faces along cell vector \(k + 1) are \(width) Å apart, which needs more than \(InputLimits.maxImageAtoms) periodic images of the \(n) atoms"
        )
      }
      layers[k] = Int(l)
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
