import ArgumentParser
import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPInspect

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Interpretability plots of a potential (SVG figures + CSV numbers).",
    subcommands: [])
}
