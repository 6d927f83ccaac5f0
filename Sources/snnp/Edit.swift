import ArgumentParser
import Foundation
import SNNPCore
import SNNPFormat
import SNNPInspect

struct Edit: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: "Switch parts of a potential off and write the result as a new .snnp file.",
    discussion: """
      --element El --remove-filters 1,3 zeroes the first-layer weights of El's network for those \
      filters (1-based over G3 then G2; the skip connection still adds them).

      --linear-only removes every network (regressor none), keeping skip connection, pair \
      term and biases.

      The edit is recorded as a 'meta edit' line in the output.
      """)

  @Argument(help: "Potential file (.snnp).") var potential: String
  @Option(name: .shortAndLong, help: "Output .snnp file.") var output: String
  @Option(help: "Element whose network loses filters (with --remove-filters).") var element: String?
  @Option(help: "Filters to remove, 1-based over (G3..., G2...), e.g. 1,3 or 2-4.")
  var removeFilters: String?
  @Flag(help: "Set every regressor to none (linear s-NNP: b + pair + skip Σ G).") var linearOnly =
    false

  func validate() throws {
    if !linearOnly && removeFilters == nil {
      throw ValidationError("nothing to do: give --remove-filters or --linear-only")
    }
    if (removeFilters == nil) != (element == nil) {
      throw ValidationError("--element and --remove-filters go together")
    }
  }

  func execute() throws {
    let file = try PotentialFile.read(path: potential)
    var p = file.potential
    var steps: [String] = []
    if let list = removeFilters, let el = element {
      let filters = try PotentialEdit.parseFilterList(list)
      p = try PotentialEdit.removeFilters(p, element: el, filters: filters, file: potential)
      steps.append(
        "zeroed first-layer network weights of \(el) for filters \(filters.map(String.init).joined(separator: ","))"
      )
    }
    if linearOnly {
      p = PotentialEdit.linearOnly(p)
      steps.append("linear only (all regressors none)")
    }
    let description = steps.joined(separator: "; ") + " (snnp edit of \(potential))"
    let out = PotentialEdit.recording(file, p, description: description)
    try out.write(to: output)
    print("wrote \(output): \(description)")
  }
}
