import CSNNPKernel
import SNNPCore
import SNNPFormat

/// What a `snnp_model*` points to: the compiled potential plus the neighbour
/// list kept between LAMMPS re-neighbourings.
final class ModelHandle {
  let potential: Potential
  let evaluator: Evaluator
  var neighbors: NeighborList?
  var listShape: (nlocal: Int, nall: Int, cutoff: Double) = (-1, -1, -1)

  init(_ potential: Potential) {
    self.potential = potential
    evaluator = Evaluator(potential)
  }

  static func from(_ pointer: OpaquePointer?) -> ModelHandle? {
    guard let pointer else { return nil }
    return Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
  }

  /// Runs the kernel for one snnp_compute call; returns an error message or nil.
  func compute(_ a: snnp_compute_args) -> (Int32, String)? {
    let nlocal = Int(a.nlocal)
    let nall = Int(a.nall)
    guard nlocal >= 0, nall >= nlocal else {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: need 0 <= nlocal <= nall, got nlocal=\(nlocal) nall=\(nall)"
      )
    }
    if nall == 0 { return nil }
    guard let x = a.x, let species = a.species else {
      return (Int32(SNNP_ERROR_ARGUMENT.rawValue), "snnp_compute: x and species must not be NULL")
    }
    let cutoff = evaluator.potential.cutoff
    guard a.neighbor_cutoff >= cutoff, a.neighbor_cutoff.isFinite else {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: neighbor_cutoff \(a.neighbor_cutoff) is below the potential cutoff \(cutoff)"
      )
    }
    let n = Int32(potential.elementCount)
    for i in 0..<nall where species[i] < -1 || species[i] >= n {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: atom \(i) has species \(species[i]); expected -1 or 0..<\(n)"
      )
    }
    for k in 0..<(3 * nall) where !x[k].isFinite {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: atom \(k / 3) has a non-finite coordinate"
      )
    }
    if (a.grade != nil || a.close_flag != nil) && potential.domain == nil {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: the extrapolation grade needs a training domain, which this potential file lacks; refit it, or add one with: snnp calibrate POTENTIAL TRAINING.xyz"
      )
    }
    // The kernel takes species as Int32; C int is Int32 on every supported platform.
    let sp = UnsafeRawPointer(species).assumingMemoryBound(to: Int32.self)
    if a.rebuild_neighbors != 0 || neighbors == nil || listShape.nlocal != nlocal
      || listShape.nall != nall
      || listShape.cutoff != a.neighbor_cutoff
    {
      neighbors = NeighborList.build(
        positions: x, species: sp, localCount: nlocal, totalCount: nall, cutoff: a.neighbor_cutoff)
      listShape = (nlocal, nall, a.neighbor_cutoff)
      if let problem = neighbors!.plausibilityProblem(positions: x) {
        neighbors = nil
        return (Int32(SNNP_ERROR_ARGUMENT.rawValue), "snnp_compute: " + problem)
      }
    }
    var rq = Evaluator.Request(localCount: nlocal, totalCount: nall, positions: x, species: sp)
    rq.forces = a.f
    rq.atomEnergies = a.eatom
    rq.virial = a.virial
    rq.atomVirial = a.vatom
    rq.filters = a.filters
    rq.energyParts = a.energy_parts
    rq.sigmas = a.sigma
    rq.grades = a.grade
    rq.closeFlags = a.close_flag
    rq.headTotals = potential.headCount > 1 ? a.head_energies : nil
    let e = evaluator.compute(rq, neighbors: neighbors!)
    // Never hand NaN or inf to the caller as if it were a result.
    var finite = e.isFinite
    if finite, let f = a.f {
      for k in 0..<(3 * nall) where !f[k].isFinite { finite = false; break }
    }
    if finite, let v = a.virial { for k in 0..<6 where !v[k].isFinite { finite = false; break } }
    if !finite {
      return (
        Int32(SNNP_ERROR_ARGUMENT.rawValue),
        "snnp_compute: the potential gives a non-finite \(e.isFinite ? "force or virial" : "energy (\(e) eV)") (numbers in the potential too large for this configuration?)"
      )
    }
    if let out = a.energy { out.pointee += e }
    return nil
  }
}

/// Copies `message` into a C buffer, truncated and NUL-terminated.
func copyMessage(_ message: String, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int) {
  guard let buffer, length > 0 else { return }
  let bytes = Array(message.utf8.prefix(length - 1))
  for (k, b) in bytes.enumerated() { buffer[k] = CChar(bitPattern: b) }
  buffer[bytes.count] = 0
}
