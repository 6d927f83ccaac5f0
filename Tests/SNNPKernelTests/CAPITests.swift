import CSNNPKernel
import SNNPCore
import SNNPFormat
import SNNPKernel
import Testing
import _SNNPTestSupport

/// Calls the kernel through the C declarations of snnp_kernel.h, so a header
/// that drifts from the Swift exports fails here.
@Suite struct CAPITests {
  let potential = TestPotentials.make(.intAll, elements: ["Mo", "Nb"], seed: 21)

  func writePotential() throws -> String {
    let path = "/tmp/snnp-capi-\(UInt32.random(in: 0...UInt32.max)).snnp"
    try PotentialFile(potential: potential).write(to: path)
    return path
  }

  /// The NUL-terminated C string in a character buffer the C API filled.
  func cText(_ chars: [CChar]) -> String {
    String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  func load(_ path: String) -> (Int32, OpaquePointer?, String) {
    var model: OpaquePointer?
    var buffer = [CChar](repeating: 0, count: 512)
    let status = snnp_model_load(path, &model, &buffer, buffer.count)
    return (status, model, cText(buffer))
  }

  @Test func load_AndQuery() throws {
    #expect(snnp_abi_version() == SNNP_ABI_VERSION)
    let (status, model, _) = load(try writePotential())
    #expect(status == Int32(SNNP_OK.rawValue))
    defer { snnp_model_free(model) }
    #expect(snnp_model_cutoff(model) == potential.cutoff)
    #expect(snnp_model_element_count(model) == 2)
    var name = [CChar](repeating: 0, count: 8)
    #expect(snnp_model_element_name(model, 1, &name, name.count) == 0)
    #expect(cText(name) == "Nb")
    #expect(
      snnp_model_element_name(model, 2, &name, name.count) == Int32(SNNP_ERROR_ARGUMENT.rawValue))
    #expect(snnp_model_element_index(model, "Mo") == 0)
    #expect(snnp_model_element_index(model, "W") == -1)
  }

  @Test func load_ReportsErrors() throws {
    let (s1, m1, e1) = load("/nonexistent/pot.snnp")
    #expect(s1 == Int32(SNNP_ERROR_IO.rawValue) && m1 == nil)
    #expect(e1.hasPrefix("/nonexistent/pot.snnp: cannot open"))
    let bad = "/tmp/snnp-capi-bad.snnp"
    try TextFile.writeAtomically(
      "# DATE: x UNITS: metal\nsnnp 1\nelements 1 Mo\nfilterz 1 1\n", to: bad)
    let (s2, m2, e2) = load(bad)
    #expect(s2 == Int32(SNNP_ERROR_FORMAT.rawValue) && m2 == nil)
    #expect(e2 == "\(bad):4: unknown keyword 'filterz' (did you mean 'filters'?)")
    #expect(String(cString: snnp_status_string(2)) == "malformed potential file")
  }

  /// Local + ghost atoms through the C API give the energies, forces (after folding
  /// ghosts onto their owners) and virial of the Swift evaluation of the periodic cell;
  /// per-atom energies and virials sum to the totals; a list built with a skin stays
  /// valid while atoms move less than half the skin.
  @Test func compute_MatchesEvaluatorAndReusesNeighborList() throws {
    let (_, model, _) = load(try writePotential())
    defer { snnp_model_free(model) }
    var s = TestStructures.bcc(a: 3.2, repeats: 2, elementCount: 2, rattle: 0.1, shear: 0.07)
    let skin = 1.0
    let atoms = try AtomsWithImages(s, cutoff: potential.cutoff + skin)
    let evaluator = Evaluator(potential)
    var rng = SeededGenerator(seed: 99)
    let moves = (0..<s.count).map { _ in
      SIMD3(rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2))
    }
    for step in 0..<2 {
      var x = atoms.positions
      if step == 1 {  // move every atom (and its images) by < skin/2, keep the list
        s.positions = zip(s.positions, moves).map { $0 + $1 }
        for a in 0..<atoms.totalCount {
          for c in 0..<3 { x[3 * a + c] += moves[atoms.owner[a]][c] }
        }
      }
      let species = atoms.species.map { Int32($0) }
      var f = [Double](repeating: 0, count: 3 * atoms.totalCount)
      var energy = 0.0
      var eatom = [Double](repeating: 0, count: atoms.localCount)
      var virial = [Double](repeating: 0, count: 6)
      var vatom = [Double](repeating: 0, count: 6 * atoms.totalCount)
      let nf = Int(snnp_model_filter_count(model))
      var filters = [Double](repeating: 0, count: nf * atoms.localCount)
      var parts = [Double](repeating: 0, count: 2 * atoms.localCount)
      var message = [CChar](repeating: 0, count: 256)
      let status = x.withUnsafeBufferPointer { xp in
        species.withUnsafeBufferPointer { sp in
          f.withUnsafeMutableBufferPointer { fp in
            eatom.withUnsafeMutableBufferPointer { ep in
              virial.withUnsafeMutableBufferPointer { vp in
                vatom.withUnsafeMutableBufferPointer { vap in
                  filters.withUnsafeMutableBufferPointer { gp in
                    parts.withUnsafeMutableBufferPointer { pp in
                      withUnsafeMutablePointer(to: &energy) { enp in
                        var args = snnp_compute_args()
                        args.struct_size = MemoryLayout<snnp_compute_args>.size
                        args.nlocal = Int32(atoms.localCount)
                        args.nall = Int32(atoms.totalCount)
                        args.x = xp.baseAddress
                        args.species = sp.baseAddress
                        args.rebuild_neighbors = step == 0 ? 1 : 0
                        args.neighbor_cutoff = potential.cutoff + skin
                        args.f = fp.baseAddress
                        args.energy = enp
                        args.eatom = ep.baseAddress
                        args.virial = vp.baseAddress
                        args.vatom = vap.baseAddress
                        args.filters = gp.baseAddress
                        args.energy_parts = pp.baseAddress
                        return snnp_compute(model, &args, &message, message.count)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      #expect(status == 0, "\(cText(message))")
      let reference = try evaluator.evaluate(s)
      #expect(abs(energy - reference.energy) < 1e-10 * abs(reference.energy), "step \(step)")
      #expect(abs(eatom.reduce(0, +) - energy) < 1e-10 * abs(energy))
      #expect(nf == potential.filterCount)
      for i in 0..<atoms.localCount {
        for a in 0..<nf { #expect(abs(filters[nf * i + a] - reference.filters[i][a]) < 1e-10) }
        #expect(abs(parts[2 * i] + parts[2 * i + 1] - eatom[i]) < 1e-10)
      }
      var folded = [SIMD3<Double>](repeating: .zero, count: s.count)
      for a in 0..<atoms.totalCount {
        folded[atoms.owner[a]] += SIMD3(f[3 * a], f[3 * a + 1], f[3 * a + 2])
      }
      for (a, b) in zip(folded, reference.forces) { #expect(maxAbs(a - b) < 1e-10, "step \(step)") }
      for c in 0..<6 {
        #expect(abs(virial[c] - reference.virial[c]) < 1e-9, "virial \(c)")
        let sum = stride(from: c, to: vatom.count, by: 6).reduce(0.0) { $0 + vatom[$1] }
        #expect(abs(sum - virial[c]) < 1e-9, "per-atom virial \(c)")
      }
    }
  }

  @Test func compute_RejectsBadArguments() throws {
    let (_, model, _) = load(try writePotential())
    defer { snnp_model_free(model) }
    var message = [CChar](repeating: 0, count: 256)
    var args = snnp_compute_args()
    args.struct_size = 8
    #expect(
      snnp_compute(model, &args, &message, message.count) == Int32(SNNP_ERROR_ARGUMENT.rawValue))
    #expect(cText(message).contains("struct_size"))
    let x: [Double] = [0, 0, 0, 2, 0, 0]
    let species: [Int32] = [0, 7]
    var f = [Double](repeating: 0, count: 6)
    let status = x.withUnsafeBufferPointer { xp in
      species.withUnsafeBufferPointer { sp in
        f.withUnsafeMutableBufferPointer { fp in
          args = snnp_compute_args()
          args.struct_size = MemoryLayout<snnp_compute_args>.size
          args.nlocal = 2
          args.nall = 2
          args.x = xp.baseAddress
          args.species = sp.baseAddress
          args.rebuild_neighbors = 1
          args.neighbor_cutoff = potential.cutoff
          args.f = fp.baseAddress
          return snnp_compute(model, &args, &message, message.count)
        }
      }
    }
    #expect(status == Int32(SNNP_ERROR_ARGUMENT.rawValue))
    #expect(cText(message) == "snnp_compute: atom 1 has species 7; expected -1 or 0..<2")
    #expect(
      snnp_compute(nil, &args, &message, message.count) == Int32(SNNP_ERROR_ARGUMENT.rawValue))
  }
}
