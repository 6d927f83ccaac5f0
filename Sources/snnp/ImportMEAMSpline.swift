import ArgumentParser
import Foundation
import SNNPCore
import SNNPFormat

struct ImportMEAMSpline: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "import-meam-spline",
    abstract: "Convert a LAMMPS meam/spline potential into the equivalent snnp potential.",
    discussion:
      "Reads the old (single-element) and new (meam/spline N El...) formats. The result reproduces pair_style meam/spline exactly under pair_style snnp."
  )

  @Argument(help: "meam/spline potential file.") var file: String
  @Option(help: "Element name (required for old-format files, which name none).") var element:
    String?
  @Option(name: .shortAndLong, help: "Output .snnp file.") var output: String

  func execute() throws {
    let potential = try MEAMSplineImporter.read(path: file, element: element)
    let out = PotentialFile(
      potential: potential,
      metadata: [
        .init(
          key: "source", value: "converted from meam/spline file \(file) by snnp import-meam-spline"
        )
      ],
      date: PotentialFile.today(), contributor: "snnp-import-meam-spline")
    try out.write(to: output)
    print(
      "wrote \(output): \(potential.elements.joined(separator: " ")), cutoff \(potential.cutoff) Å")
  }
}

struct Check: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: "Validate potential files and print a one-line summary of each.")
  @Argument(help: "Potential files (.snnp).") var files: [String]

  func execute() throws {
    for f in files {
      let p = try PotentialFile.read(path: f).potential
      let kinds = p.regressors.map { r -> String in
        switch r {
        case .none: return "linear"
        case .network(let n):
          return "network("
            + ([n.inputs] + n.layers.map(\.outputs)).map(String.init).joined(separator: ",") + ")"
        case .embedding: return "embedding"
        case .committee(let nets):
          let n = nets[0]
          return "committee \(nets.count) × network("
            + ([n.inputs] + n.layers.map(\.outputs)).map(String.init).joined(separator: ",") + ")"
        }
      }
      let domain =
        p.domain == nil ? "no training domain (grade: snnp calibrate)" : "training domain"
      print(
        "\(f): ok: elements \(p.elements.joined(separator: " ")), N3=\(p.threeBodyCount) N2=\(p.twoBodyCount)\(p.fourBodyCount > 0 ? " N4=\(p.fourBodyCount)" : ""), cutoff \(p.cutoff) Å, \(kinds.joined(separator: " "))\(p.pair == nil ? "" : ", pair term"), \(domain)"
      )
    }
  }
}
