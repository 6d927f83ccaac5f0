import ArgumentParser
import SNNPExportCommand

/// `snnp-export`: the same command as `snnp export` (Sources/SNNPExportCommand), kept as its
/// own executable for `swift run snnp-export`.
@main
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "snnp-export", abstract: ExportOptions.abstract,
    discussion: ExportOptions.discussion)

  @OptionGroup var options: ExportOptions

  func run() throws { try options.run(tool: "snnp-export") }
}
