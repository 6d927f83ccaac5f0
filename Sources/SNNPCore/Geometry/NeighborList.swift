/// A full neighbour list in compressed rows: for each centre i < localCount, the
/// indices of all atoms (local or ghost) within `cutoff`, excluding i itself and
/// atoms whose species is negative (unmapped, e.g. LAMMPS `NULL` types).
///
/// Built with cell binning over local and ghost atoms in O(N). The list may be
/// built with a cutoff larger than the potential's (LAMMPS adds a skin) and
/// reused while atoms move less than half the skin.
public struct NeighborList: Sendable {
  /// Row offsets, `localCount + 1` entries.
  public var offsets: [Int]
  /// Neighbour indices.
  public var indices: [Int32]
  /// Cutoff used to build the list (Å).
  public var cutoff: Double

  /// Number of centres.
  public var localCount: Int { offsets.count - 1 }

  /// Builds the list from flat positions (`3 * totalCount` numbers, Å).
  public static func build(
    positions x: UnsafePointer<Double>, species: UnsafePointer<Int32>, localCount: Int,
    totalCount: Int,
    cutoff: Double
  ) -> NeighborList {
    var offsets = [Int](repeating: 0, count: localCount + 1)
    var indices: [Int32] = []
    let cut2 = cutoff * cutoff
    guard totalCount > 0 else {
      return NeighborList(offsets: offsets, indices: indices, cutoff: cutoff)
    }
    var lo = SIMD3(x[0], x[1], x[2])
    var hi = lo
    for i in 0..<totalCount {
      let p = SIMD3(x[3 * i], x[3 * i + 1], x[3 * i + 2])
      lo = pointwiseMin(lo, p)
      hi = pointwiseMax(hi, p)
    }
    // Bins at least `cutoff` wide, so only the 27 surrounding bins can hold neighbours;
    // widened when sparse so the bin count stays O(N).
    var binSize = max(cutoff, 1e-3)
    var dims = SIMD3<Int>(1, 1, 1)
    while true {
      let extent = hi - lo
      dims = SIMD3(
        max(1, Int(min(extent.x / binSize, 1e6))), max(1, Int(min(extent.y / binSize, 1e6))),
        max(1, Int(min(extent.z / binSize, 1e6))))
      if dims.x * dims.y * dims.z <= 4 * totalCount + 27 { break }
      binSize *= 1.5
    }
    let inv =
      SIMD3(Double(dims.x), Double(dims.y), Double(dims.z))
      / pointwiseMax(hi - lo, SIMD3(repeating: 1e-300))
    func binCoordinate(_ i: Int) -> SIMD3<Int> {
      let p = SIMD3(x[3 * i], x[3 * i + 1], x[3 * i + 2])
      let b = (p - lo) * inv
      return SIMD3(
        min(dims.x - 1, max(0, Int(b.x))), min(dims.y - 1, max(0, Int(b.y))),
        min(dims.z - 1, max(0, Int(b.z))))
    }
    let nBins = dims.x * dims.y * dims.z
    var binStart = [Int](repeating: 0, count: nBins + 1)
    var binOf = [Int](repeating: 0, count: totalCount)
    for i in 0..<totalCount {
      let c = binCoordinate(i)
      let b = (c.z * dims.y + c.y) * dims.x + c.x
      binOf[i] = b
      binStart[b + 1] += 1
    }
    for b in 0..<nBins { binStart[b + 1] += binStart[b] }
    var fill = binStart
    var sorted = [Int32](repeating: 0, count: totalCount)
    for i in 0..<totalCount {
      sorted[fill[binOf[i]]] = Int32(i)
      fill[binOf[i]] += 1
    }
    indices.reserveCapacity(localCount * 64)
    for i in 0..<localCount {
      offsets[i] = indices.count
      if species[i] < 0 { continue }
      let c = binCoordinate(i)
      let xi = x[3 * i]
      let yi = x[3 * i + 1]
      let zi = x[3 * i + 2]
      for bz in max(0, c.z - 1)...min(dims.z - 1, c.z + 1) {
        for by in max(0, c.y - 1)...min(dims.y - 1, c.y + 1) {
          for bx in max(0, c.x - 1)...min(dims.x - 1, c.x + 1) {
            let b = (bz * dims.y + by) * dims.x + bx
            for s in binStart[b]..<binStart[b + 1] {
              let j = Int(sorted[s])
              if j == i || species[j] < 0 { continue }
              let dx = x[3 * j] - xi
              let dy = x[3 * j + 1] - yi
              let dz = x[3 * j + 2] - zi
              if dx * dx + dy * dy + dz * dz < cut2 { indices.append(Int32(j)) }
            }
          }
        }
      }
    }
    offsets[localCount] = indices.count
    return NeighborList(offsets: offsets, indices: indices, cutoff: cutoff)
  }
}
