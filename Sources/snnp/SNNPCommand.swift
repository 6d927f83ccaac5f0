import ArgumentParser
@_exported import SNNPExportCommand

@main
struct SNNPCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snnp",
    abstract: "Spline-based neural network interatomic potentials (s-NNP, Vita & Trinkle).",
    discussion:
      "Potential files are plain text (docs/potential-format.md); LAMMPS runs them with pair_style snnp.",
    subcommands: [
      Fit.self, Export.self, Eval.self, Check.self, Calibrate.self, Select.self,
      ImportMEAMSpline.self, Inspect.self, Edit.self,
    ])
}
