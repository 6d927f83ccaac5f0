import ArgumentParser
import Foundation
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
      let file = try c.exportFile(date: PotentialFile.today(), useBest: !last)
      try file.write(to: output)
      print("wrote \(output) (\(last ? "last parameters, epoch \(c.epoch)" : "best on validation, epoch \(c.bestEpoch)"))")
    } catch let e as CustomStringConvertible {
      throw ValidationError(e.description)
    }
  }
}
