import ArgumentParser
import SNNPExportCommand

/// `snnp export`: the same command as the `snnp-export` executable (Sources/SNNPExportCommand).
struct Export: ReportingCommand {
  static let configuration = CommandConfiguration(
    abstract: ExportOptions.abstract, discussion: ExportOptions.discussion)

  @OptionGroup var options: ExportOptions

  func execute() throws { try options.run(tool: "snnp export") }
}
