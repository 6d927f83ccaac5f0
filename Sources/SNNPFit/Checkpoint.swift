import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPTraining

/// Everything needed to resume a fit exactly or to export its model, written as
/// JSON (numbers round-trip exactly) and atomically.
public struct Checkpoint: Codable, Equatable {
  /// Format version of the checkpoint.
  public var version = 1
  /// The configuration of the run.
  public var config: FitConfiguration
  /// The initial potential as `.snnp` text: it fixes elements, knots and layer sizes.
  public var template: String
  /// Parameters at the end of the last completed step.
  public var theta: [Double]
  /// Parameters of the best validation loss so far.
  public var bestTheta: [Double]
  /// Best validation loss and the epoch it was reached at.
  public var bestValidationLoss: Double
  /// Epoch of `bestTheta` (1-based).
  public var bestEpoch: Int
  /// Validation errors of `bestTheta`: energy MAE, RMSE (eV/atom), force MAE, RMSE (eV/Å).
  public var bestValidationErrors: [Double]
  /// Completed epochs.
  public var epoch: Int
  /// Completed mini-batches of the current (incomplete) epoch.
  public var batch: Int
  /// Optimizer state.
  public var optimizer: AMSGrad
  /// L-BFGS state (when `config.optimizer` is "lbfgs").
  public var lbfgs = LBFGS()
  /// Partial training-error sums of the current epoch (for its log line).
  public var partialEpoch: ErrorSummary
  /// Seconds spent so far.
  public var seconds: Double
  /// The command line that started the run.
  public var command: String
  /// One CSV row per completed epoch (the rows of log.csv).
  public var log: [String]

  /// Writes the checkpoint atomically.
  public func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Before the first validation (validate_every > 1) the best loss is still infinite.
    encoder.nonConformingFloatEncodingStrategy = Checkpoint.nonFinite.encoding
    let data = try encoder.encode(self)
    try TextFile.writeAtomically(String(decoding: data, as: UTF8.self), to: path)
  }

  /// How infinities and NaN appear in the JSON (which has no literal for them).
  static let nonFinite = (
    encoding: JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"),
    decoding: JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  )

  /// Reads a checkpoint.
  /// - Throws: ``FitError`` naming the file.
  public static func read(path: String) throws -> Checkpoint {
    let text = try TextFile.read(path)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = Checkpoint.nonFinite.decoding
    do { return try decoder.decode(Checkpoint.self, from: Data(text.utf8)) } catch {
      throw FitError("\(path): not a snnp checkpoint: \(error)")
    }
  }

  /// The configuration that continues this run (`snnp fit --resume`). Model, data and loss
  /// come from the checkpoint; only the length of the run, the thread count and the output
  /// directory may change. A new `output` branches the run: the checkpoint's own directory
  /// is left as it is.
  /// - Parameters:
  ///   - epochs: AMSGrad epochs in all (refused once an L-BFGS polish step has been taken).
  ///   - polishEpochs: full-batch L-BFGS iterations after the epochs, in all.
  ///   - threads: worker threads (results are deterministic per thread count).
  ///   - output: output directory of the continued run.
  ///   - otherSettings: names of any other settings the user gave (e.g. `--learning-rate`):
  ///     a resumed run cannot honour them, so they are refused rather than ignored.
  ///   - source: the checkpoint's path, for messages.
  /// - Throws: ``FitError`` naming the checkpoint and the setting.
  public func resumedConfiguration(
    epochs: Int? = nil, polishEpochs: Int? = nil, threads: Int? = nil, output: String? = nil,
    otherSettings: [String] = [], source: String
  ) throws -> FitConfiguration {
    guard otherSettings.isEmpty else {
      throw FitError(
        "\(source): a resumed run keeps the model, data and loss settings of its checkpoint; "
          + "\(otherSettings.joined(separator: ", ")) cannot change on --resume "
          + "(only --epochs, --polish-epochs, --threads and --output can; start a new fit to change the others)"
      )
    }
    var c = config
    // Extending a run keeps its learning-rate schedule.
    c.milestones = c.effectiveMilestones
    if let epochs, epochs != c.epochs {
      // Once a polish step has been taken, more AMSGrad epochs would restart from
      // the polished parameters with a stale schedule and L-BFGS history.
      guard c.optimizer == .lbfgs || lbfgs.iterations == 0 else {
        throw FitError(
          "\(source): this run finished its \(c.epochs) epochs and is polishing with L-BFGS; extend it with --polish-epochs, not --epochs"
        )
      }
      c.epochs = epochs
    }
    if let polishEpochs { c.polishEpochs = polishEpochs }
    if let threads { c.threads = threads }
    if let output { c.output = output }
    return c
  }

  /// The template potential.
  public func templatePotential() throws -> Potential {
    try PotentialFile.parse(template, file: "checkpoint template").potential
  }

  /// The best potential as a `.snnp` file with its provenance.
  public func exportFile(date: String, useBest: Bool = true) throws -> PotentialFile {
    let template = try templatePotential()
    let layout = ParameterLayout(template: template)
    let p = layout.potential(from: useBest ? bestTheta : theta)
    let c = config
    let e = bestValidationErrors
    let stressTerm =
      c.stressWeight > 0
      ? " + \(c.stressWeight) x S-MSE (eV/A^3)^2\(c.stressLoss == .deviatoric ? " (traceless part)" : "")"
      : ""
    let pinned = c.isolatedAtomEnergies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    let pinnedNote =
      pinned.isEmpty
      ? "" : ", isolated-atom energies pinned (eV): " + pinned.joined(separator: ", ")
    let optimizer =
      c.optimizer == .leastSquares
      ? "least squares (one exact solve, filters fixed)"
      : c.optimizer == .lbfgs
        ? "L-BFGS (full batch)"
        : "AMSGrad lr \(c.learningRate), milestones \(c.effectiveMilestones) gamma \(c.gamma)"
          + (c.polishEpochs > 0
            ? " for \(c.epochs) epochs, then \(c.polishEpochs) full-batch L-BFGS iterations" : "")
    var meta: [PotentialFile.Metadata] = [
      .init(
        key: "model",
        value:
          "(\(c.twoBody),\(c.threeBody))\(c.basis.map { " tensor basis [\($0.radial), \($0.angular)]" } ?? "")\(c.fourBody > 0 ? " four-body \(c.fourBody)" : "") \(c.variant), hidden \(c.hidden), cutoff \(c.cutoff) A\(c.threeBodyCutoff.map { ", three-body cutoff \($0) A" } ?? ""), pair cutoff \(c.pairCutoff) A, knots radial \(c.radialKnots) angular \(c.angularKnots) pair \(c.pairKnots)\(c.committee > 1 ? ", committee of \(c.committee) heads\(c.bootstrap ? " (bootstrap)" : "")" : "")\(c.usesSharedFilters ? ", shared filters" : "")\(c.freezeFilters.map { " frozen from \($0)" } ?? "")"
      ),
      .init(
        key: "data",
        value: c.train.joined(separator: " ")
          + (c.validation.map { " validation " + $0 }
            ?? " (validation: seeded \(c.validationFraction) split\(c.stratifySplit ? " by config_type" : ""), seed \(c.effectiveSplitSeed))")
      ),
      .init(
        key: "training",
        value:
          "loss \(c.energyWeight) x E-MSE/atom + \(c.forceWeight) x F-MSE\(stressTerm), l2 \(c.l2), \(optimizer), batch \(c.batchSize), epochs \(epoch), seed \(c.seed)\(pinnedNote)"
      ),
      .init(key: "command", value: command),
    ]
    if useBest, e.count == 4 {
      meta.append(
        .init(
          key: "validation",
          value: String(
            format: "epoch %d: energy MAE %.3f RMSE %.3f meV/atom, force MAE %.4f RMSE %.4f eV/A",
            bestEpoch, 1000 * e[0], 1000 * e[1], e[2], e[3])))
    }
    return PotentialFile(potential: p, metadata: meta, date: date, contributor: "snnp-fit")
  }
}
