import CSNNPKernel
import SNNPCore
import SNNPFormat
import SNNPKernel
import Testing
import _SNNPTestSupport

/// Issue 25: the C API (and so LAMMPS) returns an error, never NaN, for coincident
/// atoms and for results that are not finite.
@Suite struct CAPIRobustnessTests {
  /// Runs snnp_compute on free atoms; returns status, message and energy.
  func compute(_ potential: Potential, _ positions: [Double]) throws -> (Int32, String, Double) {
    let path = "/tmp/snnp-capi-robust-\(UInt32.random(in: 0...UInt32.max)).snnp"
    try PotentialFile(potential: potential).write(to: path)
    var model: OpaquePointer?
    var buffer = [CChar](repeating: 0, count: 512)
    #expect(snnp_model_load(path, &model, &buffer, buffer.count) == 0)
    defer { snnp_model_free(model) }
    let n = positions.count / 3
    let species = [Int32](repeating: 0, count: n)
    var f = [Double](repeating: 0, count: 3 * n)
    var energy = 0.0
    var message = [CChar](repeating: 0, count: 512)
    let status = positions.withUnsafeBufferPointer { xp in
      species.withUnsafeBufferPointer { sp in
        f.withUnsafeMutableBufferPointer { fp in
          withUnsafeMutablePointer(to: &energy) { ep in
            var args = snnp_compute_args()
            args.struct_size = MemoryLayout<snnp_compute_args>.size
            args.nlocal = Int32(n)
            args.nall = Int32(n)
            args.x = xp.baseAddress
            args.species = sp.baseAddress
            args.rebuild_neighbors = 1
            args.neighbor_cutoff = potential.cutoff
            args.f = fp.baseAddress
            args.energy = ep
            return snnp_compute(model, &args, &message, message.count)
          }
        }
      }
    }
    let text = String(
      decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return (status, text, energy)
  }

  @Test func coincidentAtoms_AreAnError() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 3)
    let (status, message, energy) = try compute(p, [0, 0, 0, 2.5, 0, 0, 0, 0, 0])
    #expect(status == Int32(SNNP_ERROR_ARGUMENT.rawValue))
    #expect(
      message
        == "snnp_compute: atoms 1 and 3 are at the same position (0.0, 0.0, 0.0) Å, distance 0.0 Å")
    #expect(energy == 0)
  }

  @Test func nonFiniteResult_IsAnError() throws {
    // A bias of 1e308 is refused by the reader; one set in memory overflows the sum.
    var p = TestPotentials.make(.linear, elements: ["Mo"], seed: 3)
    p.bias = [1.7e308]
    let path = "/tmp/snnp-capi-robust-big.snnp"
    #expect(throws: PotentialFileError.self) {
      try PotentialFile(potential: p).write(to: path)
      _ = try PotentialFile.read(path: path)
    }
    let evaluator = Evaluator(p)
    let s = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false],
      positions: [.zero, SIMD3(2.6, 0, 0)], species: [0, 0])
    #expect(throws: GeometryError.self) { try evaluator.evaluate(s) }
  }
}
