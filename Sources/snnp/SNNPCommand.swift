import ArgumentParser

@main
struct SNNPCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snnp",
    abstract: "Spline-based neural network interatomic potentials (s-NNP, Vita & Trinkle).",
    discussion: "Potential files are plain text (docs/potential-format.md); LAMMPS runs them with pair_style snnp.",
    subcommands: [
      Fit.self, Export.self, Eval.self, Check.self, Calibrate.self, Select.self, ImportMEAMSpline.self, Inspect.self, Edit.self,
    ])
}

/// Turns library errors into one clean line on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let e as CustomStringConvertible {
    // ArgumentParser's ExitCode is not CustomStringConvertible, so it passes through.
    throw ValidationFailure(message: e.description)
  }
}

struct ValidationFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
