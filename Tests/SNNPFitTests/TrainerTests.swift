import Foundation
import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import SNNPTraining
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

/// The error a Trainer reports for `config` before training, or "accepted".
func trainerError(_ config: FitConfiguration) -> String {
  do {
    _ = try Trainer(config: config, command: "test")
    return "accepted"
  } catch { return "\(error)" }
}

/// Path of a file in the repository.
func fixturePath(_ relative: String) -> String {
  let here = #filePath
  let root = here[..<here.range(of: "/Tests/")!.lowerBound]
  return root + "/" + relative
}

/// Every test that runs a Trainer lives here, serialized: training installs a
/// process-wide SIGINT handler.
/// Runs a resumed trainer to the end and checks that the epoch it finishes first reports
/// its whole training loss, as log.csv does (it used to print only the loss of the batches
/// run since the resume).
func runResumed(_ resumed: Trainer, from saved: Checkpoint) throws {
  var lines: [String] = []
  #expect(try resumed.run { lines.append($0) })
  let firstEpochLine = try #require(lines.first { $0.hasPrefix("epoch") })
  let csvLoss = try #require(Double(resumed.state.log[saved.epoch].split(separator: ",")[2]))
  #expect(
    firstEpochLine.contains(String(format: "loss %.5f", csvLoss)) && csvLoss > 0,
    "\(firstEpochLine)")
}

@Suite(.serialized) struct TrainerTests {
  /// The UF3 paper's exact-retrieval test: data labelled by a known linear spline
  /// potential (N2 = 1, N3 = 1, pair term) is refitted from a different start back to
  /// < 0.1 meV/atom and < 1e-3 eV/Å.
  @Test func linearSplinePotential_IsRetrieved() throws {
    var config = FitConfiguration()
    config.variant = .linear
    config.pairTerm = true
    config.threeBody = 1
    config.twoBody = 1
    config.radialKnots = 6
    config.angularKnots = 6
    config.pairKnots = 5
    config.radialMin = 1.8
    config.cutoff = 4.5
    config.pairCutoff = 2.8
    config.seed = 101
    // The teacher: random smooth splines on the same knot grids, a repulsive pair term.
    var teacher = try InitialModel.make(config, elements: ["Mo"], bias: [-7.5])
    let layout = ParameterLayout(template: teacher)
    var theta = layout.parameters(of: teacher)
    let pairSlot = layout.banks.first { $0.role == .pair }!
    let pairKnots = teacher.pair![0].knots
    for k in 0..<(pairKnots.count - 1) {
      theta[pairSlot.offset + k] = 0.8 * pow((2.8 - pairKnots[k]) / 1.0, 2)
    }
    theta[pairSlot.offset + pairKnots.count - 1] = -1.6 / 1.0 * (2.8 - 1.8)  // start slope
    teacher = layout.potential(from: theta)
    let dir = try labelledTrainingDirectory(teacher, count: 50, seed: 3, name: "retrieval")
    config.train = [dir + "/train.xyz"]
    config.validationFraction = 0.1
    config.seed = 7  // a different start
    config.optimizer = .lbfgs
    config.epochs = 2500
    config.learningRate = 0.01
    config.output = dir + "/run"
    config.threads = 2
    let trainer = try Trainer(config: config, command: "test")
    #expect(try trainer.run { _ in })
    let all = trainer.errors(of: trainer.state.theta, on: trainer.train + trainer.validation)
    let e = all.errors
    print(
      "exact retrieval: energy RMSE \(1000 * e[1]) meV/atom, force RMSE \(e[3]) eV/Å after \(config.epochs) L-BFGS iterations"
    )
    #expect(e[1] < 1e-4, "energy RMSE \(1000 * e[1]) meV/atom")
    #expect(e[3] < 1e-3, "force RMSE \(e[3]) eV/Å")
  }

  /// With `validate_every` > 1 the epochs before the first validation write a
  /// checkpoint whose best validation loss is still infinite: it reads back as such,
  /// resumes, and the run validates on its schedule.
  @Test func validateEvery_CheckpointsBeforeTheFirstValidation() throws {
    var c = smallConfig(scratchDirectory("validate-every"))
    c.validateEvery = 3
    let run = try Trainer(config: c, command: "test")
    var epochsSeen = 0
    let finished = try run.run { _ in
      epochsSeen += 1
      if epochsSeen == 1 { kill(getpid(), SIGINT) }  // Ctrl-C during epoch 2
    }
    #expect(!finished)
    let saved = try Checkpoint.read(path: c.output + "/last.ckpt")
    #expect(saved.bestValidationLoss == .infinity)
    let resumed = try Trainer(config: saved.config, command: "test", resume: saved)
    #expect(try resumed.run { _ in })
    // val_loss (column 8) is logged at epochs 3 and 4 (the last epoch always validates).
    let validated = resumed.state.log.map {
      !$0.split(separator: ",", omittingEmptySubsequences: false)[7].isEmpty
    }
    #expect(validated == [false, false, true, true])
    #expect(resumed.state.bestValidationLoss.isFinite)
  }

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
    try runResumed(resumed, from: saved)
    #expect(resumed.state.theta == straight.state.theta)
    #expect(resumed.state.bestTheta == straight.state.bestTheta)
    #expect(resumed.state.log.count == 4)
  }

  /// `polish_epochs`: after the AMSGrad epochs, full-batch L-BFGS starts from the best
  /// parameters on validation and lowers the training loss below theirs; a run
  /// interrupted while polishing resumes to exactly the parameters of a straight run.
  @Test func lbfgsPolish_LowersTrainingLossAndResumesExactly() throws {
    let plain = try Trainer(config: smallConfig(scratchDirectory("unpolished")), command: "test")
    #expect(try plain.run { _ in })
    var config = smallConfig(scratchDirectory("polished"))
    config.polishEpochs = 6
    let polished = try Trainer(config: config, command: "test")
    var messages: [String] = []
    #expect(try polished.run { messages.append($0) })
    #expect(polished.state.log.count == 10)
    #expect(messages.filter { $0.hasPrefix("polishing with full-batch L-BFGS") }.count == 1)
    #expect(polished.state.lbfgs.iterations == 6)
    let before = polished.errors(of: plain.state.bestTheta, on: polished.train).loss(config)
    let after = polished.errors(of: polished.state.theta, on: polished.train).loss(config)
    #expect(after < 0.9 * before, "training loss \(before) -> \(after) after 6 L-BFGS iterations")
    let text = try polished.state.exportFile(date: "2026-11-21").text()
    #expect(text.contains("then 6 full-batch L-BFGS iterations"))

    config.output = scratchDirectory("polish-interrupted")
    let first = try Trainer(config: config, command: "test")
    var epochLines = 0
    let finished = try first.run { line in
      guard line.hasPrefix("epoch") else { return }
      epochLines += 1
      if epochLines == 5 { kill(getpid(), SIGINT) }  // Ctrl-C during the second L-BFGS iteration
    }
    #expect(!finished)
    let saved = try Checkpoint.read(path: config.output + "/last.ckpt")
    #expect(saved.epoch == 5 && saved.lbfgs.iterations == 2)
    let resumed = try Trainer(config: saved.config, command: "test", resume: saved)
    try runResumed(resumed, from: saved)
    #expect(resumed.state.theta == polished.state.theta)
    #expect(resumed.state.bestTheta == polished.state.bestTheta)

    // A finished run polished afterwards (`--resume last.ckpt --polish-epochs 6`) is the
    // run whose recipe asked for the polish, and its checkpoints say so. With a new
    // `--output` the polish branches off and the original run's files stay as they were.
    let source = plain.config.output + "/last.ckpt"
    let unpolished = try Checkpoint.read(path: source)
    let originalBytes = try Data(contentsOf: URL(fileURLWithPath: source))
    let branch = scratchDirectory("polish-branch")
    let branched = try Trainer(
      config: try unpolished.resumedConfiguration(polishEpochs: 6, output: branch, source: source),
      command: "test",
      resume: unpolished)
    #expect(try branched.run { _ in })
    #expect(branched.state.theta == polished.state.theta)
    #expect(try Data(contentsOf: URL(fileURLWithPath: source)) == originalBytes)
    #expect(try Checkpoint.read(path: branch + "/best.ckpt").bestTheta == polished.state.bestTheta)
    let late = try Trainer(
      config: try unpolished.resumedConfiguration(polishEpochs: 6, source: source), command: "test",
      resume: unpolished)
    #expect(try late.run { _ in })
    #expect(late.state.theta == polished.state.theta)
    #expect(try Checkpoint.read(path: source).config.polishEpochs == 6)

    // Settings a resumed run cannot honour are refused, not ignored; so is restarting
    // AMSGrad once the polish has begun.
    #expect(throws: FitError.self) {
      try unpolished.resumedConfiguration(otherSettings: ["--learning-rate"], source: source)
    }
    let polishedState = try Checkpoint.read(path: source)
    #expect(throws: FitError.self) {
      try polishedState.resumedConfiguration(
        epochs: polishedState.config.epochs + 2, source: source)
    }
  }

  /// The exported potential, evaluated like `snnp eval` on the fit's validation.xyz,
  /// reproduces the fitter's own best validation errors exactly.
  @Test func exportedPotential_ReproducesValidationErrors() throws {
    let dir = scratchDirectory("export")
    let trainer = try Trainer(config: smallConfig(dir), command: "test")
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    let file = try best.exportFile(date: "2026-11-21")
    try file.write(to: dir + "/model.snnp")
    let potential = try PotentialFile.read(path: dir + "/model.snnp").potential
    let evaluator = Evaluator(potential)
    // The validation frames the fitter wrote (what `snnp eval` reads) are its split.
    let path = dir + "/validation.xyz"
    let frames = try ExtXYZ.read(path: path)
    let data = try TrainingData.load(best.config)
    #expect(frames.count == data.validation.count)
    #expect(frames.map(\.positions) == data.validation.map(\.frame.positions))
    #expect(frames.map(\.energy) == data.validation.map(\.frame.energy))
    var summary = ErrorSummary()
    for frame in frames {
      let r = try evaluator.evaluate(
        try frame.structure(elements: potential.elements, file: path), filters: false)
      summary.add(
        atoms: frame.count, predictedEnergy: r.energy, referenceEnergy: frame.energy,
        predictedForces: r.forces, referenceForces: frame.forces)
    }
    #expect(summary.errors == best.bestValidationErrors)
    #expect(file.metadata.contains { $0.key == "validation" })
  }

  /// `split_seed` fixes the validation frames while `seed` varies the start: restarts
  /// are then compared on the same frames. Without it the seed moves the split too.
  @Test func splitSeed_FixesTheValidationFramesAcrossSeeds() throws {
    func energies(_ data: TrainingData) -> [Double?] { data.validation.map(\.frame.energy) }
    var a = smallConfig(scratchDirectory("split-a"))
    a.seed = 1
    var b = a
    b.seed = 2
    b.output = scratchDirectory("split-b")
    // The seeds draw different splits of the 12 frames by themselves ...
    #expect(energies(try TrainingData.load(a)) != energies(try TrainingData.load(b)))
    // ... and the same one with a common split seed, which is seed 1's own split.
    let reference = energies(try TrainingData.load(a))
    a.splitSeed = 1
    b.splitSeed = 1
    #expect(energies(try TrainingData.load(a)) == reference)
    #expect(energies(try TrainingData.load(b)) == reference)
    // The start still follows `seed`.
    let startA = try Trainer(config: a, command: "test").state.theta
    let startB = try Trainer(config: b, command: "test").state.theta
    #expect(startA != startB)
    // The key reads from JSON and is refused with a suggestion when misspelt.
    let dir = scratchDirectory("split-json")
    try #"{"train": ["x.xyz"], "split_seed": 3}"#.write(
      toFile: dir + "/ok.json", atomically: true, encoding: .utf8)
    #expect(try FitConfiguration.read(path: dir + "/ok.json").splitSeed == 3)
    try #"{"train": ["x.xyz"], "split_sed": 3}"#.write(
      toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
    let error = #expect(throws: FitError.self) {
      try FitConfiguration.read(path: dir + "/bad.json")
    }
    #expect(error?.description.contains("did you mean 'split_seed'") == true)
  }

  /// `stratify_split` gives every config_type its share of the validation frames. The
  /// Mo subset holds 3 frames each of 4 types; a 25 % split holds 3 frames, so the
  /// shares are 0.75 each and the three largest remainders (ties: name order) go to
  /// AIMD-NVT, Elastic and Surface: one frame each, whatever the seed. A plain shuffle
  /// of the same frames draws two of a kind for some seeds.
  @Test func stratifiedSplit_GivesEveryConfigTypeItsShare() throws {
    func types(_ data: TrainingData) -> [String] {
      data.validation.map { $0.frame.configType ?? "" }.sorted()
    }
    var plainDraws: [[String]] = []
    for seed: UInt64 in 1...8 {
      var c = smallConfig(scratchDirectory("stratified-\(seed)"))
      c.seed = seed
      plainDraws.append(types(try TrainingData.load(c)))
      c.stratifySplit = true
      let data = try TrainingData.load(c)
      #expect(types(data) == ["AIMD-NVT", "Elastic", "Surface"])
      #expect(data.train.count == 9)
      // Seeded: the same frames on a second load.
      #expect(
        try TrainingData.load(c).validation.map(\.frame.line) == data.validation.map(\.frame.line))
    }
    #expect(plainDraws.contains { Set($0).count < 3 })
    // Shares of the Ge training data (228 frames, 23 held out): 11 Surface frames give
    // 1.11, 90 AIMD 9.08, 55 Elastic 5.55, 72 Vacancy 7.26; the one frame left after the
    // floors goes to Elastic, the largest remainder.
    let groups =
      Array(repeating: "Surface", count: 11) + Array(repeating: "AIMD", count: 90)
      + Array(repeating: "Elastic", count: 55) + Array(repeating: "Vacancy", count: 72)
    let held = TrainingData.heldOutIndices(groups: groups, count: 23, seed: 1)
    let counts = Dictionary(grouping: held.map { groups[$0] }, by: { $0 }).mapValues(\.count)
    #expect(counts == ["Surface": 1, "AIMD": 9, "Elastic": 6, "Vacancy": 7])
    // One group is the plain seeded shuffle, the split every earlier fit used.
    var rng = SeededGenerator(seed: 1 &+ 0x5EED)
    var order = Array(0..<20)
    order.shuffle(using: &rng)
    #expect(
      TrainingData.heldOutIndices(groups: Array(repeating: "", count: 20), count: 5, seed: 1)
        == Set(order.prefix(5)))
    // The key reads from JSON.
    let dir = scratchDirectory("stratified-json")
    try #"{"train": ["x.xyz"], "stratify_split": true}"#.write(
      toFile: dir + "/ok.json", atomically: true, encoding: .utf8)
    #expect(try FitConfiguration.read(path: dir + "/ok.json").stratifySplit)
  }

  /// A Mo-Nb fit with shared filters and one network per element runs end to end:
  /// full-batch L-BFGS lowers the training loss, and the exported potential
  /// evaluates both elements.
  @Test func binaryFit_RunsEndToEnd() throws {
    let dir = scratchDirectory("binary")
    var c = smallConfig(dir)
    c.train = [fixturePath("examples/data/MoNb-subset.xyz")]
    c.optimizer = .lbfgs
    c.learningRate = 0.01
    c.epochs = 15
    let trainer = try Trainer(config: c, command: "test")
    #expect(trainer.layout.template.elements == ["Mo", "Nb"])
    #expect(trainer.layout.networkOffsets.compactMap { $0 }.count == 2)
    let before = trainer.errors(of: trainer.state.theta, on: trainer.train).loss(c)
    #expect(try trainer.run { _ in })
    let after = trainer.errors(of: trainer.state.theta, on: trainer.train).loss(c)
    #expect(after < 0.5 * before, "training loss \(before) -> \(after)")
    let file = try trainer.state.exportFile(date: "2026-11-21", useBest: false)
    let evaluator = Evaluator(file.potential)
    var perElement = [ErrorAccumulator(), ErrorAccumulator()]
    for item in try TrainingData.load(c).validation {
      let s = try item.frame.structure(elements: ["Mo", "Nb"], file: item.file)
      let r = try evaluator.evaluate(s, filters: false)
      for (a, f) in r.forces.enumerated() {
        let d = f - item.frame.forces![a]
        for k in 0..<3 { perElement[s.species[a]].add(d[k]) }
      }
    }
    #expect(perElement.allSatisfy { $0.count > 0 && $0.rmse.isFinite })
  }

  /// `isolated_atom_energies` pins an element's bias: it does not move in training, a
  /// lone atom in the exported model has the given energy, and the other parameters
  /// still train. An element not in the model, or a variant whose networks have
  /// biases, is rejected.
  @Test func pinnedIsolatedAtomEnergy_StaysFixed() throws {
    let dir = scratchDirectory("pinned")
    var c = smallConfig(dir)
    c.isolatedAtomEnergies = ["Mo": -4.03]
    let trainer = try Trainer(config: c, command: "test")
    let start = trainer.state.theta
    #expect(try trainer.run { _ in })
    let theta = trainer.state.theta
    #expect(theta[trainer.layout.biasOffset] == start[trainer.layout.biasOffset])
    #expect(zip(start, theta).filter { $0 != $1 }.count > theta.count / 2)
    let potential = try trainer.state.exportFile(date: "2026-11-21", useBest: false).potential
    #expect(potential.bias == [start[trainer.layout.biasOffset]])
    let lone = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false], positions: [.zero], species: [0])
    let loneEnergy = try Evaluator(potential).evaluate(lone, filters: false).energy
    #expect(abs(loneEnergy + 4.03) < 1e-12, "lone atom \(loneEnergy)")
    c.isolatedAtomEnergies = ["W": -4.6]
    #expect(
      trainerError(c) == "isolated_atom_energies: element W is not in the model (elements: Mo)")
    c.isolatedAtomEnergies = ["Mo": -4.03]
    c.variant = .network
    #expect(
      trainerError(c).hasPrefix(
        "invalid configuration: isolated_atom_energies needs variant linear or int-all"))
  }

  /// With every bias pinned, the initial two-body filter is scaled so that the model
  /// starts bound: the mean per-atom energy error of the start is a small fraction of
  /// the gap between the lone atom and the data (without the scaling it is the gap).
  @Test func pinnedStart_CarriesTheCohesiveEnergy() throws {
    var c = smallConfig(scratchDirectory("pinned-start"))
    c.isolatedAtomEnergies = ["Mo": -4.03]
    let trainer = try Trainer(config: c, command: "test")
    let worker = GradientWorker(layout: trainer.layout, parameters: trainer.state.theta)
    var error = 0.0
    var gap = 0.0
    for s in trainer.train.preparedFrames {
      let n = Double(s.count)
      error += (worker.predict(s).energy - s.referenceEnergy) / n
      gap += (s.referenceEnergy / n) + 4.03
    }
    #expect(abs(gap) > 5 * Double(trainer.train.count))  // Mo binds by ~6.8 eV/atom
    #expect(
      abs(error) < 0.1 * abs(gap), "mean error \(error / Double(trainer.train.count)) eV/atom")
  }

  /// `core_repulsion` puts a ZBL core with the elements' atomic numbers into the fitted
  /// and exported potential; a bad range is rejected before training.
  @Test func coreRepulsion_IsFittedAndExported() throws {
    var c = smallConfig(scratchDirectory("core"))
    c.coreRepulsion = [1.2, 1.9]
    let trainer = try Trainer(config: c, command: "test")
    #expect(try trainer.run { _ in })
    let potential = try trainer.state.exportFile(date: "2026-11-21").potential
    #expect(potential.core == CoreRepulsion(atomicNumbers: [42], inner: 1.2, outer: 1.9))
    c.coreRepulsion = [1.9, 1.2]
    #expect(
      trainerError(c).hasPrefix(
        "invalid configuration: core_repulsion must be [inner, outer] in Å with 0 < inner < outer"))
  }

  /// Each bad input is reported clearly before any training starts.
  @Test func badInputs_GiveClearErrors() throws {
    let dir = scratchDirectory("bad")
    // Unknown config key, with a suggestion.
    try TextFile.writeAtomically("{\"train\": [\"x.xyz\"], \"epoch\": 3}", to: dir + "/c.json")
    do {
      _ = try FitConfiguration.read(path: dir + "/c.json")
      Issue.record("accepted an unknown key")
    } catch {
      #expect("\(error)".hasPrefix("\(dir)/c.json: unknown key 'epoch' (did you mean 'epochs'?)"))
    }
    // Malformed extended XYZ: file and line.
    try TextFile.writeAtomically(
      "2\nLattice=\"3 0 0 0 3 0 0 0 3\" energy=-1\nMo 0 0 0\nMo 1.5 1.5\n", to: dir + "/bad.xyz")
    var c = smallConfig(dir + "/out")
    c.train = [dir + "/bad.xyz"]
    #expect(trainerError(c).hasPrefix("\(dir)/bad.xyz:4: frame 1: atom 2: expected 4 columns"))
    // A frame without energy.
    try TextFile.writeAtomically(
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3\nMo 0 0 0 0 0 0\n",
      to: dir + "/noenergy.xyz")
    c.train = [dir + "/noenergy.xyz"]
    #expect(
      trainerError(c)
        == "\(dir)/noenergy.xyz:1: frame has no energy= (the fitter needs reference energies)")
    // NaN in the data.
    try TextFile.writeAtomically(
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1\nMo 0 0 nan 0 0 0\n",
      to: dir + "/nan.xyz")
    c.train = [dir + "/nan.xyz"]
    #expect(
      trainerError(c)
        == "\(dir)/nan.xyz:3: frame 1: atom 1: expected a finite number for z, found 'nan'")
    // An element the model does not have.
    c = smallConfig(dir + "/out")
    c.elements = ["Nb"]
    #expect(
      trainerError(c).contains("frame contains Mo, which is not among the model's elements Nb"))
    // An unwritable output directory.
    c = smallConfig("/proc/snnp-cannot-write")
    #expect(
      trainerError(c)
        == "output directory /proc/snnp-cannot-write cannot be created: /proc/snnp-cannot-write: No such file or directory"
    )
    // A bad variant, with a suggestion: FitChoiceTests (rejected where it is read).
  }
}

/// `stress_loss: deviatoric`: the loss sees only the traceless stress residual, so a
/// constant pressure added to every reference stress (a Pulay stress) changes nothing,
/// while it does change the full stress loss; the gradient equals finite differences.
@Suite(.serialized) struct DeviatoricStressTests {
  @Test(arguments: [1, 3])
  func deviatoricStressLoss_IgnoresAPressureOffset(committee: Int) throws {
    let dir = scratchDirectory("deviatoric-\(committee)")
    // The subset with 0.01 eV/Å³ (1.6 GPa) added to every diagonal reference stress.
    let text = try String(
      contentsOfFile: fixturePath("examples/data/Mo-mlearn-subset.xyz"), encoding: .utf8)
    var shifted: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      guard let open = line.range(of: "stress=\""),
        let close = line[open.upperBound...].firstIndex(of: "\"")
      else {
        shifted.append(String(line))
        continue
      }
      var v = line[open.upperBound..<close].split(separator: " ").map { Double($0)! }
      for k in [0, 4, 8] { v[k] += 0.01 }
      shifted.append(
        line[..<open.upperBound] + v.map { "\($0)" }.joined(separator: " ") + line[close...])
    }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try shifted.joined(separator: "\n").write(
      toFile: dir + "/shifted.xyz", atomically: true, encoding: .utf8)
    var c = smallConfig(dir + "/a")
    c.committee = committee
    c.stressWeight = 0.5
    c.stressLoss = .deviatoric
    var d = c
    d.output = dir + "/b"
    d.train = [dir + "/shifted.xyz"]
    let a = try Trainer(config: c, command: "test")
    let b = try Trainer(config: d, command: "test")
    #expect(a.state.theta == b.state.theta)
    let theta = a.state.theta
    let (la, ga) = a.trainingLossAndGradient(theta)
    let (lb, gb) = b.trainingLossAndGradient(theta)
    #expect(abs(la - lb) <= 1e-12 * la)
    for k in theta.indices { #expect(abs(ga[k] - gb[k]) <= 1e-10 * max(1, abs(ga[k]))) }
    c.stressLoss = .full
    d.stressLoss = .full
    let full = try Trainer(config: c, command: "test").trainingLossAndGradient(theta).loss
    let fullShifted = try Trainer(config: d, command: "test").trainingLossAndGradient(theta).loss
    #expect(abs(full - fullShifted) > 1e-4 * full, "full stress loss \(full) vs \(fullShifted)")
    #expect(full > la)
    // Finite differences of the deviatoric loss, spline and network parameters.
    var perturbed = theta
    var rng = SeededGenerator(seed: 11)
    for k in perturbed.indices { perturbed[k] += rng.uniform(-0.05, 0.05) }
    expectLossGradientMatchesFiniteDifferences(
      a, at: perturbed,
      probes: [1, 6, a.layout.splineParameterCount - 2, a.layout.splineParameterCount + 3])
  }
}

/// The full-batch loss gradient of `trainer` at θ equals central differences of its loss
/// (step 1e-6) at each probed parameter, to 1e-5 relative.
func expectLossGradientMatchesFiniteDifferences(
  _ trainer: Trainer, at theta: [Double], probes: [Int],
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let gradient = trainer.trainingLossAndGradient(theta).gradient
  for k in probes {
    let h = 1e-6
    var plus = theta
    plus[k] += h
    var minus = theta
    minus[k] -= h
    let fd =
      (trainer.trainingLossAndGradient(plus).loss - trainer.trainingLossAndGradient(minus).loss)
      / (2 * h)
    #expect(
      abs(fd - gradient[k]) < 1e-5 * max(1, abs(fd)),
      "parameter \(k): analytic \(gradient[k]) vs \(fd)", sourceLocation: sourceLocation)
  }
}

/// A fit whose parameters or loss overflow stops with a clear error instead of writing
/// non-finite numbers (found by the fuzzer: gamma 1e300 made the learning rate infinite).
@Test func divergingFit_StopsWithAClearError() throws {
  var c = smallConfig(scratchDirectory("diverging"))
  c.learningRate = 1e300
  let trainer = try Trainer(config: c, command: "test")
  do {
    _ = try trainer.run { _ in }
    Issue.record("a fit at learning rate 1e300 finished")
  } catch {
    #expect(
      "\(error)"
        == "training diverged in epoch 1, batch 2: the training loss became non-finite at learning rate 1e+300; lower learning_rate, gamma, l2 or the loss weights"
    )
  }
}

/// Committee fits: the loss gradient of K heads on shared filters, and the export.
@Suite(.serialized) struct CommitteeFitTests {
  /// The committee's full-batch loss gradient equals central differences of its loss,
  /// for spline, network (every head) and bias parameters; with four-body filters too,
  /// whose committee trains one head at a time.
  @Test(arguments: [0, 2])
  func committeeGradient_MatchesFiniteDifferences(fourBody: Int) throws {
    var c = smallConfig(scratchDirectory("committee-grad-\(fourBody)"))
    c.committee = 3
    c.stressWeight = 0.5
    c.fourBody = fourBody
    let trainer = try Trainer(config: c, command: "test")
    #expect(trainer.layout.template.headCount == 3)
    #expect(trainer.layout.template.fourBodySplines == fourBody)
    let h = trainer.layout.banks.filter { $0.role == .h }.map { $0.offset + 1 }
    #expect(h.count == (fourBody > 0 ? 1 : 0))
    var theta = trainer.state.theta
    var rng = SeededGenerator(seed: 3)
    for k in theta.indices { theta[k] += rng.uniform(-0.05, 0.05) }
    let (_, gradient) = trainer.trainingLossAndGradient(theta)
    let heads = trainer.layout.headOffsets[0]
    expectLossGradientMatchesFiniteDifferences(
      trainer, at: theta,
      probes: [
        0, 5, trainer.layout.splineParameterCount - 1, heads[0] + 1, heads[1] + 2, heads[2] + 3,
        trainer.layout.biasOffset,
      ] + h)
    // Heads train apart: different initialisations, so their gradients differ.
    #expect(gradient[heads[0] + 1] != gradient[heads[1] + 1])
  }

  /// One forward and one backward pass for all heads gives the gradient of K passes,
  /// one head at a time, for every parameter: each variant with a network, 1 and 2
  /// elements, stress in the loss, element-resolved and shared filters, bootstrap
  /// resamples per head.
  @Test(arguments: [
    (FitVariant.intAll, "Mo-mlearn-subset", false, false), (.intSkip, "MoNb-subset", false, true),
    (.network, "MoNb-subset", true, false), (.intAll, "Mo-mlearn-subset", false, true),
  ])
  func committeeSharedPasses_EqualOneHeadAtATime(
    variant: FitVariant, data: String, sharedFilters: Bool, bootstrap: Bool
  ) throws {
    var c = smallConfig(scratchDirectory("committee-shared-\(variant.rawValue)-\(bootstrap)"))
    c.train = [fixturePath("examples/data/\(data).xyz")]
    c.variant = variant
    c.sharedFilters = sharedFilters
    c.bootstrap = bootstrap
    c.committee = 3
    c.stressWeight = 0.5
    let trainer = try Trainer(config: c, command: "test")
    var theta = trainer.state.theta
    var rng = SeededGenerator(seed: 5)
    for k in theta.indices { theta[k] += rng.uniform(-0.05, 0.05) }
    let shared = trainer.trainingLossAndGradient(theta)
    trainer.sharedCommitteePasses = false
    let perHead = trainer.trainingLossAndGradient(theta)
    #expect(abs(shared.loss - perHead.loss) <= 1e-12 * perHead.loss)
    let scale = perHead.gradient.map(abs).max()!
    var worst = 0.0
    for k in theta.indices { worst = max(worst, abs(shared.gradient[k] - perHead.gradient[k])) }
    #expect(worst <= 1e-10 * scale, "largest difference \(worst) against gradients up to \(scale)")
  }

  /// A committee fit exports a committee file with a training domain that `snnp eval`'s
  /// kernel evaluates to the fitter's validation errors (with four-body filters too).
  @Test(arguments: [0, 2])
  func committeeFit_ExportsAndReproducesValidationErrors(fourBody: Int) throws {
    let dir = scratchDirectory("committee-fit-\(fourBody)")
    var c = smallConfig(dir)
    c.committee = 2
    c.fourBody = fourBody
    let trainer = try Trainer(config: c, command: "test")
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    let file = try best.exportFile(date: "2026-12-04")
    #expect(file.potential.headCount == 2)
    #expect(file.potential.fourBodySplines == fourBody)
    let evaluator = Evaluator(file.potential)
    var summary = ErrorSummary()
    let frames = try ExtXYZ.read(path: dir + "/validation.xyz")
    for frame in frames {
      let r = try evaluator.evaluate(
        try frame.structure(elements: file.potential.elements, file: "v"), filters: false)
      summary.add(
        atoms: frame.count, predictedEnergy: r.energy, referenceEnergy: frame.energy,
        predictedForces: r.forces,
        referenceForces: frame.forces)
    }
    #expect(summary.errors == best.bestValidationErrors)
  }

  /// Bootstrap resamples: each head draws as many frames as there are, with
  /// replacement, differently per head and reproducibly; they change the loss.
  @Test func bootstrap_ResamplesFramesPerHead() throws {
    var c = smallConfig(scratchDirectory("committee-bootstrap"))
    c.committee = 3
    c.bootstrap = true
    let trainer = try Trainer(config: c, command: "test")
    let counts = trainer.bootstrapCounts
    #expect(counts.count == 3)
    for h in counts {
      #expect(h.count == trainer.train.count)
      #expect(h.reduce(0, +) == Double(trainer.train.count))
      #expect(h.contains(0) && h.contains { $0 > 1 })
    }
    #expect(counts[0] != counts[1] && counts[1] != counts[2])
    #expect(try Trainer(config: c, command: "test").bootstrapCounts == counts)
    c.bootstrap = false
    let plain = try Trainer(config: c, command: "test")
    #expect(plain.bootstrapCounts.isEmpty)
    let theta = plain.state.theta
    #expect(
      plain.trainingLossAndGradient(theta).loss != trainer.trainingLossAndGradient(theta).loss)
  }

  /// Bad committee sizes are refused before any work.
  @Test func badCommitteeSizes_GiveClearErrors() {
    var c = smallConfig(scratchDirectory("committee-bad"))
    c.committee = 0
    #expect(
      trainerError(c).contains("committee must be a number of network heads in 1...64, found 0"))
    c.committee = 1000
    #expect(trainerError(c).contains("found 1000"))
    c.committee = 2
    c.variant = .linear
    #expect(trainerError(c).contains("variant 'linear' has no network"))
    c.variant = .intAll
    c.committee = 1
    c.bootstrap = true
    #expect(trainerError(c).contains("bootstrap resamples the training frames per committee head; it needs committee >= 2, found 1"))
  }
}
