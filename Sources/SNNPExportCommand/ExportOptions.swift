import ArgumentParser
import Foundation
import SNNPCore
import SNNPFit
import SNNPFormat

/// Checkpoint → .snnp potential file: the one implementation behind both `snnp export`
/// and the `snnp-export` executable (`swift run snnp-export`), which differ only in name.
public struct ExportOptions: ParsableArguments {
  /// The command's abstract, shared by both names.
  public static let abstract =
    "Write the potential of a snnp fit checkpoint as a .snnp file for LAMMPS and snnp eval."
  /// The command's discussion, shared by both names.
  public static let discussion =
    "By default the best model on the validation set is written; its provenance (data, hyper-parameters, validation errors, command) goes into meta lines."

  @Argument(help: "Checkpoint (runs/<name>/best.ckpt or last.ckpt).") public var checkpoint: String
  @Option(name: .shortAndLong, help: "Output .snnp file.") public var output: String
  @Flag(help: "Export the last parameters instead of the best on validation.") public var last =
    false

  public init() {}

  /// Reads the checkpoint, measures the training domain on the fit's own training frames
  /// (a warning on stderr, prefixed by `tool`, when they cannot be read) and writes the file.
  public func run(tool: String) throws {
    try reportingErrors {
      let c = try Checkpoint.read(path: checkpoint)
      var file = try c.exportFile(date: PotentialFile.today(), useBest: !last)
      // The training domain (extrapolation grade) from the fit's own training frames.
      do {
        let data = try TrainingData.load(c.config)
        let p = file.potential
        let structures = try data.train.map {
          try $0.frame.structure(elements: p.elements, file: $0.file)
        }
        file.potential.domain = try TrainingDomain.measure(p, structures: structures)
        file.metadata.append(
          .init(
            key: "domain", value: "calibrated on the \(structures.count) training frames of the fit"
          ))
      } catch {
        FileHandle.standardError.write(
          "\(tool): warning: no training domain written (\(error)); the extrapolation grade needs: snnp calibrate \(output) TRAINING.xyz\n"
            .data(using: .utf8)!)
      }
      try file.write(to: output)
      print(
        "wrote \(output) (\(last ? "last parameters, epoch \(c.epoch)" : "best on validation, epoch \(c.bestEpoch)"))"
      )
    }
  }
}
