import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import SNNPTraining
import Testing
import _SNNPTestSupport

/// `shared_filters` and `freeze_filters` in the fitter.
@Suite struct SharedFilterFitTests {
  /// A small shared-filter fit on the Mo-Nb subset; returns its exported file's path.
  static func sharedFit(_ dir: String) throws -> (path: String, checkpoint: Checkpoint) {
    var c = smallConfig(dir)
    c.train = [fixturePath("examples/data/MoNb-subset.xyz")]
    c.sharedFilters = true
    c.epochs = 3
    let trainer = try Trainer(config: c, command: "test")
    #expect(trainer.layout.template.sharedFilters)
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    try best.exportFile(date: "2026-12-05").write(to: dir + "/shared.snnp")
    return (dir + "/shared.snnp", best)
  }

  /// Errors of `potential` on the fitter's validation.xyz in `dir` (what `snnp eval` computes).
  static func validationErrors(_ potential: Potential, _ dir: String) throws -> [Double] {
    let evaluator = Evaluator(potential)
    let path = dir + "/validation.xyz"
    var summary = ErrorSummary()
    for frame in try ExtXYZ.read(path: path) {
      let r = try evaluator.evaluate(
        try frame.structure(elements: potential.elements, file: path), filters: false)
      summary.add(
        atoms: frame.count, predictedEnergy: r.energy, referenceEnergy: frame.energy,
        predictedForces: r.forces,
        referenceForces: frame.forces)
    }
    return summary.errors
  }

  /// A shared-filter fit has one bank per role, one network per element, per-pair pair
  /// terms, and its exported file reproduces its validation errors exactly.
  @Test func sharedFit_ExportsASharedFileThatReproducesItsErrors() throws {
    let dir = scratchDirectory("shared-fit")
    let (path, best) = try Self.sharedFit(dir)
    let p = try PotentialFile.read(path: path).potential
    #expect(p.sharedFilters && p.elements == ["Mo", "Nb"])
    #expect(p.f.count == 1 && p.g.count == 1 && p.rho.count == 1 && p.pair?.count == 3)
    #expect(p.regressors.count == 2 && p.regressors[0] != p.regressors[1])
    #expect(try Self.validationErrors(p, dir) == best.bestValidationErrors)
    // 2 + 3 spline banks' parameters (f 2×6, g 2×7, rho 1×6, pair 3×6) + 2 networks + 2 biases.
    #expect(ParameterLayout(template: p).splineParameterCount == 12 + 14 + 6 + 18)
  }

  /// A fit on frozen filters keeps every f, g and ρ number of its source bit for bit,
  /// trains the networks, and its exported file reproduces its validation errors.
  @Test func frozenFit_KeepsTheSourceFiltersExactly() throws {
    let source = try Self.sharedFit(scratchDirectory("frozen-source")).path
    let from = try PotentialFile.read(path: source).potential
    let dir = scratchDirectory("frozen")
    var c = smallConfig(dir)  // Mo data
    c.freezeFilters = source
    c.epochs = 3
    let trainer = try Trainer(config: c, command: "test")
    let start = trainer.layout.potential(from: trainer.state.theta)
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    try best.exportFile(date: "2026-12-05").write(to: dir + "/Mo.frozen.snnp")
    let p = try PotentialFile.read(path: dir + "/Mo.frozen.snnp").potential
    func bits(_ banks: [SplineBank]) -> [UInt64] {
      banks.flatMap { b in
        b.knots.map(\.bitPattern) + [b.cutoff.bitPattern]
          + b.splines.flatMap { $0.parameters.map(\.bitPattern) }
      }
    }
    #expect(p.sharedFilters && p.elements == ["Mo"])
    #expect(bits(p.f) == bits(from.f) && !p.f.isEmpty)
    #expect(bits(p.g) == bits(from.g) && !p.g.isEmpty)
    #expect(bits(p.rho) == bits(from.rho) && !p.rho.isEmpty)
    #expect(p.regressors != start.regressors, "the network trained")
    #expect(p.pair != start.pair, "the pair term trained")
    #expect(try Self.validationErrors(p, dir) == best.bestValidationErrors)
    #expect(best.bestValidationErrors.count == 4)
  }

  /// A committee on shared filters, fitted on frozen filters: K heads per element,
  /// the source's filters unchanged, and the file round-trips with its training domain.
  @Test func frozenCommitteeFit_KeepsFiltersAndHeads() throws {
    let source = try Self.sharedFit(scratchDirectory("frozen-committee-source")).path
    let from = try PotentialFile.read(path: source).potential
    let dir = scratchDirectory("frozen-committee")
    var c = smallConfig(dir)
    c.freezeFilters = source
    c.committee = 2
    c.epochs = 2
    let trainer = try Trainer(config: c, command: "test")
    #expect(try trainer.run { _ in })
    let best = try Checkpoint.read(path: dir + "/best.ckpt")
    var file = try best.exportFile(date: "2026-12-05")
    let data = try TrainingData.load(best.config)
    let structures = try data.train.map {
      try $0.frame.structure(elements: file.potential.elements, file: $0.file)
    }
    file.potential.domain = try TrainingDomain.measure(file.potential, structures: structures)
    let back = try PotentialFile.parse(file.text(), file: "committee.snnp").potential
    #expect(back == file.potential)
    #expect(back.sharedFilters && back.headCount == 2 && back.domain != nil)
    #expect(back.f == from.f && back.g == from.g && back.rho == from.rho)
    #expect(try Self.validationErrors(back, dir) == best.bestValidationErrors)
  }

  /// Bad frozen-filter sources and data give errors that say what to change.
  @Test func frozenFit_RejectsMismatchedSources() throws {
    let dir = scratchDirectory("frozen-bad")
    let shared = TestPotentials.make(
      .intAll, elements: ["Mo", "Nb"], threeBody: 2, twoBody: 1, cutoff: 5.2, sharedFilters: true)
    try PotentialFile(potential: shared).write(to: dir + "/shared.snnp")
    let resolved = TestPotentials.make(
      .intAll, elements: ["Mo", "Nb"], threeBody: 2, twoBody: 1, cutoff: 5.2)
    try PotentialFile(potential: resolved).write(to: dir + "/resolved.snnp")
    var c = smallConfig(dir + "/run")
    c.freezeFilters = dir + "/shared.snnp"
    #expect(trainerError(c) == "accepted")
    c.freezeFilters = dir + "/resolved.snnp"
    #expect(
      trainerError(c)
        == "freeze_filters \(dir)/resolved.snnp: the file is element resolved (one filter bank per element); frozen filters need a shared-filter file (one fitted with shared_filters: true)"
    )
    c.freezeFilters = dir + "/shared.snnp"
    var other = c
    other.cutoff = 5.0
    #expect(
      trainerError(other)
        == "freeze_filters \(dir)/shared.snnp: the file's three-body filters end at 5.2 Å, the configuration's at 5.0 Å (set three_body_cutoff, or cutoff, to 5.2)"
    )
    other = c
    other.threeBody = 4
    #expect(
      trainerError(other)
        == "freeze_filters \(dir)/shared.snnp: the file has N3 = 2 three-body and N2 = 1 two-body filters, the configuration N3 = 4 and N2 = 1 (set three_body and two_body to match)"
    )
    other = c
    other.elements = ["Mo", "Nb"]
    #expect(
      trainerError(other)
        == "freeze_filters: element Nb has no atoms in the training data, so its network cannot be fitted (elements in the data: Mo)"
    )
    other = c
    other.freezeFilters = dir + "/missing.snnp"
    #expect(
      trainerError(other).hasPrefix(
        "freeze_filters: cannot read the source potential: \(dir)/missing.snnp: cannot open for reading"
      ))
  }
}
