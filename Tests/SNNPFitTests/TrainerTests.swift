import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import Testing
import _SNNPTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A small, fast configuration on the shipped 12-frame Mo subset.
func smallConfig(_ output: String) -> FitConfiguration {
  var c = FitConfiguration()
  c.train = [fixturePath("examples/data/Mo-mlearn-subset.xyz")]
  c.validationFraction = 0.25
  c.threeBody = 2
  c.twoBody = 1
  c.radialKnots = 6
  c.angularKnots = 5
  c.hidden = [4]
  c.epochs = 4
  c.batchSize = 3
  c.milestones = [3]
  c.threads = 2
  c.output = output
  return c
}

/// Path of a file in the repository.
func fixturePath(_ relative: String) -> String {
  let here = #filePath
  let root = here[..<here.range(of: "/Tests/")!.lowerBound]
  return root + "/" + relative
}

@Suite(.serialized) struct TrainerTests {
  /// A run interrupted by SIGINT in the middle of an epoch and resumed from its
  /// last.ckpt ends with exactly the parameters of an uninterrupted run.
  @Test func interruptedAndResumed_EqualsUninterrupted() throws {
    let a = scratchDirectory("straight")
    let straight = try Trainer(config: smallConfig(a), command: "test")
    #expect(try straight.run { _ in })
    let b = scratchDirectory("interrupted")
    let first = try Trainer(config: smallConfig(b), command: "test")
    var epochsSeen = 0
    let finished = try first.run { _ in
      epochsSeen += 1
      if epochsSeen == 1 { kill(getpid(), SIGINT) }  // Ctrl-C during epoch 2
    }
    #expect(!finished)
    let saved = try Checkpoint.read(path: b + "/last.ckpt")
    // Stopped inside an epoch (which batch depends on when the signal lands).
    #expect(saved.epoch >= 1 && saved.epoch < 4 && saved.batch >= 1)
    let resumed = try Trainer(config: saved.config, command: "test", resume: saved)
    #expect(try resumed.run { _ in })
    #expect(resumed.state.theta == straight.state.theta)
    #expect(resumed.state.bestTheta == straight.state.bestTheta)
    #expect(resumed.state.log.count == 4)
  }

  /// The exported potential, evaluated like `snnp eval`, reproduces the fitter's
  /// own best validation errors exactly.
  @Test func exportedPotential_ReproducesValidationErrors() throws {
    let dir = scratchDirectory("export")
    let trainer = try Trainer(config: smallConfig(dir), command: "test")
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    let file = try best.exportFile(date: "2026-11-21")
    try file.write(to: dir + "/model.snnp")
    let potential = try PotentialFile.read(path: dir + "/model.snnp").potential
    let evaluator = Evaluator(potential)
    // Rebuild the validation split exactly as the fitter did.
    let data = try TrainingData.load(best.config)
    var summary = ErrorSummary()
    for item in data.validation {
      let r = try evaluator.evaluate(try item.frame.structure(elements: potential.elements, file: item.file), filters: false)
      summary.add(
        atoms: item.frame.count, predictedEnergy: r.energy, referenceEnergy: item.frame.energy,
        predictedForces: r.forces, referenceForces: item.frame.forces)
    }
    #expect(summary.errors == best.bestValidationErrors)
    #expect(file.metadata.contains { $0.key == "validation" })
  }

  /// Each bad input is reported clearly before any training starts.
  @Test func badInputs_GiveClearErrors() throws {
    let dir = scratchDirectory("bad")
    func message(_ config: FitConfiguration) -> String {
      do {
        _ = try Trainer(config: config, command: "test")
        return "accepted"
      } catch { return "\(error)" }
    }
    // Unknown config key, with a suggestion.
    try TextFile.writeAtomically("{\"train\": [\"x.xyz\"], \"epoch\": 3}", to: dir + "/c.json")
    do {
      _ = try FitConfiguration.read(path: dir + "/c.json")
      Issue.record("accepted an unknown key")
    } catch {
      #expect("\(error)".hasPrefix("\(dir)/c.json: unknown key 'epoch' (did you mean 'epochs'?)"))
    }
    // Malformed extended XYZ: file and line.
    try TextFile.writeAtomically("2\nLattice=\"3 0 0 0 3 0 0 0 3\" energy=-1\nMo 0 0 0\nMo 1.5 1.5\n", to: dir + "/bad.xyz")
    var c = smallConfig(dir + "/out")
    c.train = [dir + "/bad.xyz"]
    #expect(message(c).hasPrefix("\(dir)/bad.xyz:4: frame 1: atom 2: expected 4 columns"))
    // A frame without energy.
    try TextFile.writeAtomically(
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3\nMo 0 0 0 0 0 0\n", to: dir + "/noenergy.xyz")
    c.train = [dir + "/noenergy.xyz"]
    #expect(message(c) == "\(dir)/noenergy.xyz:1: frame has no energy= (the fitter needs reference energies)")
    // NaN in the data.
    try TextFile.writeAtomically(
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1\nMo 0 0 nan 0 0 0\n", to: dir + "/nan.xyz")
    c.train = [dir + "/nan.xyz"]
    #expect(message(c) == "\(dir)/nan.xyz:3: frame 1: atom 1: expected a finite number for z, found 'nan'")
    // An element the model does not have.
    c = smallConfig(dir + "/out")
    c.elements = ["Nb"]
    #expect(message(c).contains("frame contains Mo, which is not among the model's elements Nb"))
    // An unwritable output directory.
    c = smallConfig("/proc/snnp-cannot-write")
    #expect(message(c).hasPrefix("output directory /proc/snnp-cannot-write is not writable"))
    // A bad variant, with a suggestion.
    c = smallConfig(dir + "/out")
    c.variant = "int_all"
    #expect(message(c).hasPrefix("invalid configuration: variant 'int_all' is not one of int-all, int-skip, network, linear (did you mean 'int-all'?)"))
  }
}
