import ArgumentParser
import Foundation
import SNNPCore
import SNNPFit
import SNNPFormat

@main
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snnp-export",
    abstract: "Write the potential of a snnp fit checkpoint as a .snnp file for LAMMPS and snnp eval.",
    discussion: "By default the best model on the validation set is written; its provenance (data, hyper-parameters, validation errors, command) goes into meta lines.")

  @Argument(help: "Checkpoint (runs/<name>/best.ckpt or last.ckpt).") var checkpoint: String
  @Option(name: .shortAndLong, help: "Output .snnp file.") var output: String
  @Flag(help: "Export the last parameters instead of the best on validation.") var last = false

  func run() throws {
    do {
      let c = try Checkpoint.read(path: checkpoint)
      var file = try c.exportFile(date: PotentialFile.today(), useBest: !last)
      // The training domain (extrapolation grade) from the fit's own training frames.
      do {
        let data = try TrainingData.load(c.config)
        let p = file.potential
        let structures = try data.train.map { try $0.frame.structure(elements: p.elements, file: $0.file) }
        file.potential.domain = try TrainingDomain.measure(p, structures: structures)
        file.metadata.append(.init(key: "domain", value: "calibrated on the \(structures.count) training frames of the fit"))
      } catch {
        FileHandle.standardError.write(
          "snnp-export: warning: no training domain written (\(error)); the extrapolation grade needs: snnp calibrate \(output) TRAINING.xyz\n"
            .data(using: .utf8)!)
      }
      try file.write(to: output)
      print("wrote \(output) (\(last ? "last parameters, epoch \(c.epoch)" : "best on validation, epoch \(c.bestEpoch)"))")
    } catch let e as CustomStringConvertible {
      throw ValidationError(e.description)
    }
  }
}
