import ArgumentParser
import SNNPExportCommand

/// `snnp export`: the same command as the `snnp-export` executable (Sources/SNNPExportCommand).
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: ExportOptions.abstract, discussion: ExportOptions.discussion)

  @OptionGroup var options: ExportOptions

  func run() throws { try options.run(tool: "snnp export") }
}
