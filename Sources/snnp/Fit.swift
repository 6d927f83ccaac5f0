import ArgumentParser
import Foundation
import SNNPFit
import SNNPFormat

struct Fit: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fit an s-NNP potential to DFT energies and forces (extended XYZ).",
    discussion: """
      Settings come from --config FILE (JSON; keys as in docs/fitting.md) and are overridden \
      by flags. Writes <output>/log.csv, validation.xyz (the validation frames), last.ckpt \
      (every epoch) and best.ckpt (best on validation); Ctrl-C stops after the current mini-batch with a resumable last.ckpt.

      Export with: snnp-export <output>/best.ckpt -o POTENTIAL.snnp

      Settings (each flag is also the configuration-file key, with _ for -, e.g. \
      --three-body-basis 4,4 is "three_body_basis": [4, 4]):

      """ + FitConfiguration.flagHelp)

  @Option(help: "JSON configuration file.") var config: String?
  @Option(
    help:
      "Resume from a checkpoint (last.ckpt); only --epochs, --polish-epochs, --threads and --output may change (a new --output leaves the original run as it is)."
  )
  var resume: String?
  /// The setting flags (`--three-body 8`, `--shared-filters`, ...): read against the one
  /// table of settings, FitConfiguration.settings, which also lists them in the help.
  @Argument(parsing: .allUnrecognized, help: .hidden) var settingArguments: [String] = []

  func execute() throws {
    // One progress line per epoch, visible at once also when stdout is a file or a pipe.
    setvbuf(stdout, nil, _IOLBF, 0)
    do {
      let command = CommandLine.arguments.joined(separator: " ")
      var resumeState: Checkpoint?
      var c: FitConfiguration
      let flags = try FitConfiguration.flags(in: settingArguments)
      if let resume {
        let state = try Checkpoint.read(path: resume)
        resumeState = state
        var given = flags.map(\.setting).filter { !FitConfiguration.resumableKeys.contains($0.key) }
          .map(\.flag)
        if config != nil { given.insert("--config", at: 0) }
        var changes = FitConfiguration()
        try changes.apply(flags.filter { FitConfiguration.resumableKeys.contains($0.setting.key) })
        let set = Set(flags.map(\.setting.key))
        c = try state.resumedConfiguration(
          epochs: set.contains("epochs") ? changes.epochs : nil,
          polishEpochs: set.contains("polish_epochs") ? changes.polishEpochs : nil,
          threads: changes.threads, output: set.contains("output") ? changes.output : nil,
          otherSettings: given, source: resume)
      } else {
        c = try config.map { try FitConfiguration.read(path: $0) } ?? FitConfiguration()
        try c.apply(flags)
      }
      let comm = FitCommunicator.fromEnvironment()
      let trainer: Trainer
      do {
        // Under mpirun the trainer checks that every rank holds the same settings and
        // data; a rank that fails to load ends them all (a lone failure would leave the
        // others waiting for it).
        trainer = try Trainer(config: c, command: command, resume: resumeState, communicator: comm)
      } catch {
        endAllRanks(comm, error)
        throw error
      }
      defer { comm.finalize() }
      let say: (String) -> Void = comm.isRoot ? { print($0) } : { _ in }
      if comm.size > 1 {
        say(
          "data-parallel fit on \(comm.size) MPI ranks x \(trainer.threadCount) threads (results do not depend on either count)"
        )
      }
      say(
        "fitting \(trainer.layout.template.elements.joined(separator: " ")) \(c.variant) (N2=\(c.twoBody), N3=\(c.threeBody)\(c.fourBody > 0 ? ", N4=\(2 * c.fourBody)" : ""), hidden \(c.hidden)\(c.committee > 1 ? ", committee of \(c.committee) heads\(c.bootstrap ? " (bootstrap)" : "")" : "")\(c.usesSharedFilters ? ", shared filters" : "")\(c.freezeFilters.map { " frozen from \($0)" } ?? "")), \(trainer.layout.splineParameterCount) spline\(c.holdsFiltersFixed ? " (f, g, rho frozen)" : "") + \(trainer.layout.networkParameterCount) network parameters; \(trainer.train.count) training / \(trainer.validation.count) validation frames; output \(c.output)"
      )
      let bytes = trainer.preparedBytesByRank
      let total = bytes.reduce(0, +)
      let atoms = trainer.train.atomCount + trainer.validation.atomCount
      say(
        String(
          format: "neighbour data of the frames: %.1f MB (%.0f bytes per atom)%@",
          Double(total) / 1e6,
          Double(total) / Double(max(1, atoms)),
          comm.size > 1
            ? ", per rank "
              + bytes.map { String(format: "%.1f", Double($0) / 1e6) }.joined(
                separator: " / ") + " MB" : ""))
      let closest = trainer.closestApproach
      var coreNote = "no core repulsion (core_repulsion [inner, outer] adds one)"
      if let core = trainer.layout.template.core {
        coreNote = "ZBL core from \(core.inner) to \(core.outer) Å"
      }
      say(
        (closest.isFinite
          ? String(format: "closest approach of two atoms in the data: %.3f Å; ", closest)
          : "no two atoms of the data are within the cutoff (\(c.cutoff) Å) of each other; ")
          + coreNote)
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
            format:
              "done in %.0f s; best validation (epoch %d): energy MAE %.3f RMSE %.3f meV/atom, force MAE %.4f RMSE %.4f eV/A",
            s.seconds, s.bestEpoch, 1000 * e[0], 1000 * e[1], e[2], e[3]))
        say("export: snnp-export \(c.output)/best.ckpt -o POTENTIAL.snnp")
      } else {
        throw ExitCode(130)
      }
    }
  }
}

/// Under MPI a failure on one rank must end every rank (the others would wait for it in
/// the next collective step): print it with the rank and abort the job. Alone, return.
func endAllRanks(_ comm: FitCommunicator, _ error: Error) {
  guard comm.size > 1 else { return }
  FileHandle.standardError.write(
    "snnp fit: rank \(comm.rank) of \(comm.size): \(error)\n".data(using: .utf8)!)
  comm.abort(1)
}
