import Foundation
import SNNPCore
import SNNPData
import SNNPFit
import SNNPFormat
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 25: every fit setting is range-checked before any work, with the setting named.
@Suite struct FitValidationTests {
  func problem(_ change: (inout FitConfiguration) -> Void) -> String? {
    var c = smallConfig(scratchDirectory("validate"))
    change(&c)
    do {
      try c.validate()
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func defaults_AreValid() { #expect(problem { _ in } == nil) }

  @Test func fourBody_IsCheckedAndCombinedWithWhatSupportsIt() {
    #expect(problem { $0.fourBody = 3 } == nil)
    #expect(
      problem { $0.fourBody = -1 }
        == "invalid configuration: four_body must be a number of radial splines in 0...\(InputLimits.maxFilters / 2), found -1"
    )
    // A committee of four-body heads trains one head at a time (CommitteeFitTests).
    #expect(problem { $0.fourBody = 2; $0.committee = 3 } == nil)
  }

  @Test func species_MustBeChemicalSymbols() {
    for bad in ["Xx", "mo", "42", "MO"] {
      #expect(
        problem { $0.elements = [bad] }
          == "invalid configuration: elements: '\(bad)' is not a chemical symbol (case-sensitive, e.g. Mo, Nb, Si)"
      )
    }
    #expect(problem { $0.elements = ["Mo", "Nb"] } == nil)
  }

  @Test func weights_AreNonNegativeAndNotAllZero() {
    #expect(
      problem { $0.energyWeight = -10 }
        == "invalid configuration: energy_weight must be a finite number >= 0, found -10.0")
    #expect(
      problem { $0.forceWeight = .nan }
        == "invalid configuration: force_weight must be a finite number >= 0, found nan")
    #expect(
      problem {
        $0.energyWeight = 0; $0.forceWeight = 0
      }
        == "invalid configuration: energy_weight, force_weight and stress_weight are all 0: at least one must be > 0"
    )
    #expect(
      problem { $0.configTypeWeights = ["bulk": -1] }
        == "invalid configuration: config_type_weights: 'bulk' = -1.0; weights must be finite numbers >= 0"
    )
  }

  @Test func optimizerSettings_AreInRange() {
    #expect(
      problem { $0.gamma = -1 }
        == "invalid configuration: gamma must be a finite number > 0, found -1.0")
    #expect(
      problem { $0.learningRate = 0 }
        == "invalid configuration: learning_rate must be a finite number > 0, found 0.0")
    #expect(
      problem { $0.l2 = -0.1 }
        == "invalid configuration: l2 must be a finite number >= 0, found -0.1")
    #expect(problem { $0.epochs = -1 } == "invalid configuration: epochs must be >= 1, found -1")
    #expect(
      problem { $0.validateEvery = 5 }
        == "invalid configuration: validate_every (5) exceeds the 4 epochs: no validation would ever run, so no best.ckpt"
    )
    #expect(
      problem { $0.epochs = 2_000_000_000 }
        == "invalid configuration: epochs + polish_epochs must be at most 100000000, found 2000000000 + 0"
    )
  }

  @Test func sizes_HaveSaneLimits() {
    #expect(
      problem { $0.hidden = [100_000_000] }
        == "invalid configuration: hidden layer sizes must be at most 1024, found 100000000")
    #expect(
      problem { $0.threeBody = 100_000 }
        == "invalid configuration: three_body must be at most 256, found 100000")
    #expect(
      problem { $0.radialKnots = 10_000_000 }
        == "invalid configuration: radial_knots must be at most 1000, found 10000000")
    for c in [1e10, 1e19, 1e300] {
      #expect(
        problem { $0.cutoff = c }
          == "invalid configuration: cutoff must be at most 30.0 Å, found \(c)")
    }
  }

  @Test func jsonIntegers_MustBeWholeNumbers() throws {
    let dir = scratchDirectory("json")
    for (json, message) in [
      ("{\"epochs\": 2.5}", "'epochs' must be a whole number, found 2.5"),
      ("{\"hidden\": [4, 0.5]}", "'hidden' must be a list of whole numbers, found 0.5"),
      ("{\"epochs\": 1e30}", "'epochs' must be a whole number, found 1e+30"),
    ] {
      let path = dir + "/c.json"
      try TextFile.writeAtomically(json, to: path)
      #expect(throws: FitError("\(path): \(message)")) { try FitConfiguration.read(path: path) }
    }
    // CRLF and a byte-order mark are fine.
    let path = dir + "/crlf.json"
    try TextFile.writeAtomically("\u{FEFF}{\"epochs\": 7,\r\n \"three_body\": 3}\r\n", to: path)
    let c = try FitConfiguration.read(path: path)
    #expect(c.epochs == 7 && c.threeBody == 3)
  }

  @Test func dataSpecies_MustBeChemicalSymbols() throws {
    let dir = scratchDirectory("species")
    let path = dir + "/bad.xyz"
    try TextFile.writeAtomically(
      "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1\nmo 0 0 0 0 0 0\n",
      to: path)
    var c = smallConfig(dir + "/out")
    c.train = [path]
    #expect(
      throws: FitError(
        "\(path):1: atom 1 is 'mo', which is not a chemical symbol (case-sensitive, e.g. Mo, Nb, Si)"
      )
    ) {
      try TrainingData.load(c)
    }
  }

  @Test func resumeWithShortParameterVector_IsAnError() throws {
    let dir = scratchDirectory("short-ckpt")
    var c = smallConfig(dir)
    c.epochs = 1
    c.milestones = []
    let trainer = try Trainer(config: c, command: "test")
    _ = try trainer.run { _ in }
    var state = try Checkpoint.read(path: dir + "/last.ckpt")
    let n = state.theta.count
    state.theta = Array(state.theta.prefix(5))
    #expect(
      throws: FitError(
        "checkpoint: 'theta' holds 5 parameters, but its model has \(n): the checkpoint is damaged or from another model"
      )
    ) {
      try Trainer(config: state.config, command: "test", resume: state)
    }
  }

  @Test func staleTemporaries_AreSwept() throws {
    let dir = scratchDirectory("sweep")
    // pid 999999999 cannot exist (above Linux's pid_max); pid 1 always does.
    for name in [
      "best.ckpt.tmp.999999999", "last.ckpt.tmp.\(getpid())", "last.ckpt.tmp.1", "notes.tmp.txt",
    ] {
      try TextFile.writeAtomically("x", to: dir + "/" + name)
    }
    #expect(
      Trainer.sweepStaleTemporaries(in: dir) == [
        "best.ckpt.tmp.999999999", "last.ckpt.tmp.\(getpid())",
      ])
    let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    #expect(left == ["last.ckpt.tmp.1", "notes.tmp.txt"])
  }
}
