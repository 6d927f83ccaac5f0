import CSNNPKernel
import SNNPCore
import SNNPFormat
import SNNPKernel
import Testing
import _SNNPTestSupport

/// ABI 3: committee spread, extrapolation grade and close flags through the C API.
@Suite struct CAPIUncertaintyTests {
  func write(_ p: Potential) throws -> String {
    let path = "/tmp/snnp-capi-u-\(UInt32.random(in: 0...UInt32.max)).snnp"
    try PotentialFile(potential: p).write(to: path)
    return path
  }

  func load(_ path: String) -> OpaquePointer? {
    var model: OpaquePointer?
    var buffer = [CChar](repeating: 0, count: 512)
    _ = snnp_model_load(path, &model, &buffer, buffer.count)
    return model
  }

  /// Runs snnp_compute on a periodic cell with the given struct size and the
  /// uncertainty outputs; returns status, message, energy, sigma, grade, close.
  func run(
    _ model: OpaquePointer?, _ s: Structure, cutoff: Double, structSize: Int, grades: Bool
  )
    throws -> (Int32, String, Double, [Double], [Double], [Double])
  {
    let atoms = try AtomsWithImages(s, cutoff: cutoff)
    let species = atoms.species.map { Int32($0) }
    var sigma = [Double](repeating: -1, count: atoms.localCount)
    var grade = sigma
    var close = sigma
    var energy = 0.0
    var message = [CChar](repeating: 0, count: 512)
    let status = atoms.positions.withUnsafeBufferPointer { xp in
      species.withUnsafeBufferPointer { sp in
        sigma.withUnsafeMutableBufferPointer { sg in
          grade.withUnsafeMutableBufferPointer { gr in
            close.withUnsafeMutableBufferPointer { cl in
              withUnsafeMutablePointer(to: &energy) { en in
                var args = snnp_compute_args()
                args.struct_size = structSize
                args.nlocal = Int32(atoms.localCount)
                args.nall = Int32(atoms.totalCount)
                args.x = xp.baseAddress
                args.species = sp.baseAddress
                args.rebuild_neighbors = 1
                args.neighbor_cutoff = cutoff
                args.energy = en
                args.sigma = sg.baseAddress
                args.grade = grades ? gr.baseAddress : nil
                args.close_flag = grades ? cl.baseAddress : nil
                return snnp_compute(model, &args, &message, message.count)
              }
            }
          }
        }
      }
    }
    let text = String(
      decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return (status, text, energy, sigma, grade, close)
  }

  /// σ_i, γ_i and the close flags equal the Swift evaluation's to round-off (they are
  /// the same kernel), and the head count and domain are reported; for committees with
  /// four-body filters too.
  @Test(arguments: [0, 2])
  func uncertainty_MatchesEvaluator(fourBody: Int) throws {
    var p = TestPotentials.committee(
      .intAll, elements: ["Mo", "Nb"], heads: 4, seed: 13, fourBody: fourBody)
    let train = (0..<4).map {
      TestStructures.bcc(
        a: 3.1 + 0.05 * Double($0), repeats: 2, elementCount: 2, rattle: 0.15, seed: UInt64(3 + $0))
    }
    p.domain = try TrainingDomain.measure(p, structures: train)
    let model = load(try write(p))
    defer { snnp_model_free(model) }
    #expect(snnp_model_head_count(model) == 4)
    #expect(snnp_model_has_domain(model) == 1)
    let s = TestStructures.bcc(a: 2.9, repeats: 2, elementCount: 2, rattle: 0.2, seed: 50)
    let (status, message, energy, sigma, grade, close) = try run(
      model, s, cutoff: p.cutoff, structSize: MemoryLayout<snnp_compute_args>.size, grades: true)
    #expect(status == 0, "\(message)")
    let r = try Evaluator(p).evaluate(s, uncertainty: true)
    #expect(abs(energy - r.energy) < 1e-10 * abs(r.energy))
    for i in 0..<s.count {
      #expect(abs(sigma[i] - r.sigmas[i]) < 1e-12)
      #expect(abs(grade[i] - r.grades[i]) < 1e-10 * max(1, r.grades[i]))
      #expect(close[i] == r.closeFlags[i])
    }
    #expect(grade.max()! > 1)
  }

  /// A caller built against ABI 2 (shorter struct) still works and gets no uncertainty;
  /// asking for grades from a file without a training domain is a clear error.
  @Test func abi2Callers_AndMissingDomain() throws {
    let p = TestPotentials.make(.intAll, elements: ["Mo"], seed: 3)
    let model = load(try write(p))
    defer { snnp_model_free(model) }
    #expect(snnp_model_head_count(model) == 1 && snnp_model_has_domain(model) == 0)
    let s = TestStructures.bcc(repeats: 2)
    let abi2 = MemoryLayout<snnp_compute_args>.offset(of: \snnp_compute_args.sigma)!
    let old = try run(model, s, cutoff: p.cutoff, structSize: abi2, grades: true)
    #expect(old.0 == 0, "\(old.1)")
    #expect(abs(old.2 - (try Evaluator(p).evaluate(s).energy)) < 1e-10 * abs(old.2))
    #expect(old.3.allSatisfy { $0 == -1 } && old.4.allSatisfy { $0 == -1 })  // untouched
    let new = try run(
      model, s, cutoff: p.cutoff, structSize: MemoryLayout<snnp_compute_args>.size, grades: true)
    #expect(new.0 == Int32(SNNP_ERROR_ARGUMENT.rawValue))
    #expect(
      new.1.contains("the extrapolation grade needs a training domain")
        && new.1.contains("snnp calibrate"))
    let sigmaOnly = try run(
      model, s, cutoff: p.cutoff, structSize: MemoryLayout<snnp_compute_args>.size, grades: false)
    #expect(sigmaOnly.0 == 0 && sigmaOnly.3.allSatisfy { $0 == 0 })
  }
}
