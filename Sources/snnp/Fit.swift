import ArgumentParser
import Foundation
import SNNPFit
import SNNPFormat

struct Fit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit an s-NNP potential to DFT energies and forces (extended XYZ).",
    discussion: """
      Settings come from --config FILE (JSON; keys as in docs/fitting.md) and are overridden \
      by flags. Writes <output>/log.csv, validation.xyz (the validation frames), last.ckpt \
      (every epoch) and best.ckpt (best on validation); Ctrl-C stops after the current mini-batch with a resumable last.ckpt.

      Export with: snnp-export <output>/best.ckpt -o POTENTIAL.snnp
      """)

  @Option(help: "JSON configuration file.") var config: String?
  @Option(help: "Training extended-XYZ file (repeatable).") var train: [String] = []
  @Option(help: "Validation file (default: a seeded split of the training data).") var validation: String?
  @Option(parsing: .unconditional, help: "Validation fraction when no validation file is given.") var validationFraction: Double?
  @Option(help: "Model elements, comma-separated (default: those in the data).") var elements: String?
  @Option(help: "Variant: int-all, int-skip, network or linear.") var variant: String?
  @Option(parsing: .unconditional, help: "Number of three-body filters N3.") var threeBody: Int?
  @Option(help: "Tensor-product three-body filters A,C: A radial and C angular splines make A(A+1)/2*C filters (sets N3).")
  var threeBodyBasis: String?
  @Option(parsing: .unconditional, help: "Number of two-body filters N2.") var twoBody: Int?
  @Option(parsing: .unconditional, help: "Knots per radial spline.") var radialKnots: Int?
  @Option(parsing: .unconditional, help: "Knots per angular spline.") var angularKnots: Int?
  @Option(parsing: .unconditional, help: "Filter cutoff (Å).") var cutoff: Double?
  @Option(parsing: .unconditional, help: "Pair-term cutoff (Å), int-all only.") var pairCutoff: Double?
  @Option(parsing: .unconditional, help: "Three-body filter cutoff (Å), at most --cutoff (default: --cutoff).")
  var threeBodyCutoff: Double?
  @Option(help: "Hidden layer sizes, comma-separated (e.g. 8,4,2).") var hidden: String?
  @Option(parsing: .unconditional, help: "Energy loss weight.") var energyWeight: Double?
  @Option(parsing: .unconditional, help: "Force loss weight.") var forceWeight: Double?
  @Option(parsing: .unconditional, help: "Stress loss weight (0: off).") var stressWeight: Double?
  @Option(parsing: .unconditional, help: "L2 penalty on network weights.") var l2: Double?
  @Option(parsing: .unconditional, help: "Initial learning rate.") var learningRate: Double?
  @Option(parsing: .unconditional, help: "Epochs.") var epochs: Int?
  @Option(parsing: .unconditional, help: "Full-batch L-BFGS iterations after the epochs, from the best parameters so far.")
  var polishEpochs: Int?
  @Option(
    parsing: .unconditional,
    help: "Network heads trained on the same filters (a committee: energy = their mean, spread = per-atom uncertainty; the fit costs about K times one head).")
  var committee: Int?
  @Flag(help: "One set of filters (f, g, rho splines) for every element, one network and bias per element (the paper's cross-system model).")
  var sharedFilters = false
  @Option(help: "Train only networks, biases and pair terms on the exact, fixed filters of this shared-filter .snnp file (implies --shared-filters).")
  var freezeFilters: String?
  @Option(parsing: .unconditional, help: "Configurations per mini-batch.") var batchSize: Int?
  @Option(parsing: .unconditional, help: "Worker threads (default: all cores).") var threads: Int?
  @Option(help: "Random seed (initial parameters, batch order, and the validation split unless --split-seed is given).") var seed: UInt64?
  @Option(help: "Seed of the validation split alone (default: --seed): restarts with other --seed values keep the same validation frames.")
  var splitSeed: UInt64?
  @Flag(help: "Split by config_type: every group gives its share of the validation frames (largest remainders) instead of a plain shuffle.")
  var stratifySplit = false
  @Option(name: .shortAndLong, help: "Output directory.") var output: String?
  @Option(help: "Resume from a checkpoint (last.ckpt); only --epochs, --polish-epochs, --threads and --output may change (a new --output leaves the original run as it is).") var resume: String?

  /// The flags given that set the model, data or loss: a resumed run takes those from its
  /// checkpoint, so giving them together with --resume is refused, not ignored.
  var settingsFixedOnResume: [String] {
    let given: [(String, Bool)] = [
      ("--config", config != nil), ("--train", !train.isEmpty), ("--validation", validation != nil),
      ("--validation-fraction", validationFraction != nil), ("--elements", elements != nil),
      ("--variant", variant != nil), ("--three-body", threeBody != nil),
      ("--three-body-basis", threeBodyBasis != nil), ("--two-body", twoBody != nil),
      ("--radial-knots", radialKnots != nil), ("--angular-knots", angularKnots != nil), ("--cutoff", cutoff != nil),
      ("--pair-cutoff", pairCutoff != nil), ("--three-body-cutoff", threeBodyCutoff != nil), ("--hidden", hidden != nil), ("--energy-weight", energyWeight != nil),
      ("--force-weight", forceWeight != nil), ("--stress-weight", stressWeight != nil), ("--l2", l2 != nil),
      ("--learning-rate", learningRate != nil), ("--batch-size", batchSize != nil), ("--committee", committee != nil), ("--seed", seed != nil),
      ("--split-seed", splitSeed != nil), ("--stratify-split", stratifySplit), ("--shared-filters", sharedFilters),
      ("--freeze-filters", freezeFilters != nil),
    ]
    return given.filter(\.1).map(\.0)
  }

  func run() throws {
    // One progress line per epoch, visible at once also when stdout is a file or a pipe.
    setvbuf(stdout, nil, _IOLBF, 0)
    do {
      let command = CommandLine.arguments.joined(separator: " ")
      var resumeState: Checkpoint?
      var c: FitConfiguration
      if let resume {
        let state = try Checkpoint.read(path: resume)
        resumeState = state
        c = try state.resumedConfiguration(
          epochs: epochs, polishEpochs: polishEpochs, threads: threads, output: output,
          otherSettings: settingsFixedOnResume, source: resume)
      } else {
        c = try config.map { try FitConfiguration.read(path: $0) } ?? FitConfiguration()
        if !train.isEmpty { c.train = train }
        if let validation { c.validation = validation }
        if let validationFraction { c.validationFraction = validationFraction }
        if let elements { c.elements = elements.split(separator: ",").map(String.init) }
        if let variant { c.variant = try FitVariant(choosing: variant) }
        if let threeBodyBasis {
          let values = threeBodyBasis.split(separator: ",").compactMap { Int($0) }
          guard values.count == 2, values.allSatisfy({ $0 >= 1 }) else {
            throw FitError("--three-body-basis expects A,C (radial and angular spline counts, each >= 1), found '\(threeBodyBasis)'")
          }
          c.threeBodyBasis = values
          c.threeBody = values[0] * (values[0] + 1) / 2 * values[1]
        }
        if let threeBody { c.threeBody = threeBody }
        if let twoBody { c.twoBody = twoBody }
        if let radialKnots { c.radialKnots = radialKnots }
        if let angularKnots { c.angularKnots = angularKnots }
        if let cutoff { c.cutoff = cutoff }
        if let pairCutoff { c.pairCutoff = pairCutoff }
        if let threeBodyCutoff { c.threeBodyCutoff = threeBodyCutoff }
        if let hidden {
          c.hidden = try hidden.split(separator: ",").map {
            guard let v = Int($0) else { throw FitError("--hidden expects comma-separated integers, found '\(hidden)'") }
            return v
          }
        }
        if let energyWeight { c.energyWeight = energyWeight }
        if let forceWeight { c.forceWeight = forceWeight }
        if let stressWeight { c.stressWeight = stressWeight }
        if let l2 { c.l2 = l2 }
        if let learningRate { c.learningRate = learningRate }
        if let epochs { c.epochs = epochs }
        if let polishEpochs { c.polishEpochs = polishEpochs }
        if let batchSize { c.batchSize = batchSize }
        if let committee { c.committee = committee }
        if let threads { c.threads = threads }
        if let seed { c.seed = seed }
        if let splitSeed { c.splitSeed = splitSeed }
        if stratifySplit { c.stratifySplit = true }
        if sharedFilters { c.sharedFilters = true }
        if let freezeFilters { c.freezeFilters = freezeFilters }
        if let output { c.output = output }
      }
      let comm = FitCommunicator.fromEnvironment()
      let trainer: Trainer
      do {
        // Under mpirun every rank must agree before the first collective step: same
        // settings and data, and no rank failed to load (a lone failure would leave
        // the others waiting for it).
        let local = try Trainer(config: c, command: command, resume: resumeState, communicator: comm)
        if comm.size > 1, let problem = local.rankMismatch() { throw FitError(problem) }
        trainer = local
      } catch {
        endAllRanks(comm, error)
        throw error
      }
      defer { comm.finalize() }
      let say: (String) -> Void = comm.isRoot ? { print($0) } : { _ in }
      if comm.size > 1 {
        say("data-parallel fit on \(comm.size) MPI ranks x \(trainer.threadCount) threads (results do not depend on either count)")
      }
      say(
        "fitting \(trainer.layout.template.elements.joined(separator: " ")) \(c.variant) (N2=\(c.twoBody), N3=\(c.threeBody), hidden \(c.hidden)\(c.committee > 1 ? ", committee of \(c.committee) heads" : "")\(c.usesSharedFilters ? ", shared filters" : "")\(c.freezeFilters.map { " frozen from \($0)" } ?? "")), \(trainer.layout.splineParameterCount) spline\(c.freezeFilters != nil ? " (f, g, rho frozen)" : "") + \(trainer.layout.networkParameterCount) network parameters; \(trainer.train.count) training / \(trainer.validation.count) validation frames; output \(c.output)"
      )
      let closest = (trainer.train + trainer.validation).map(\.closestApproach).min() ?? .infinity
      var coreNote = "no core repulsion (core_repulsion [inner, outer] adds one)"
      if let core = trainer.layout.template.core { coreNote = "ZBL core from \(core.inner) to \(core.outer) Å" }
      say(
        (closest.isFinite
          ? String(format: "closest approach of two atoms in the data: %.3f Å; ", closest)
          : "no two atoms of the data are within the cutoff (\(c.cutoff) Å) of each other; ") + coreNote)
      let finished: Bool
      do {
        finished = try trainer.run(progress: say)
      } catch {
        endAllRanks(comm, error)
        throw error
      }
      let s = trainer.state
      if finished {
        let e = s.bestValidationErrors
        say(
          String(
            format: "done in %.0f s; best validation (epoch %d): energy MAE %.3f RMSE %.3f meV/atom, force MAE %.4f RMSE %.4f eV/A",
            s.seconds, s.bestEpoch, 1000 * e[0], 1000 * e[1], e[2], e[3]))
        say("export: snnp-export \(c.output)/best.ckpt -o POTENTIAL.snnp")
      } else {
        throw ExitCode(130)
      }
    } catch let e as ExitCode {
      throw e
    } catch let e as CustomStringConvertible {
      throw ValidationFailure(message: e.description)
    }
  }
}

/// Under MPI a failure on one rank must end every rank (the others would wait for it in
/// the next collective step): print it with the rank and abort the job. Alone, return.
func endAllRanks(_ comm: FitCommunicator, _ error: Error) {
  guard comm.size > 1 else { return }
  FileHandle.standardError.write("snnp fit: rank \(comm.rank) of \(comm.size): \(error)\n".data(using: .utf8)!)
  comm.abort(1)
}
