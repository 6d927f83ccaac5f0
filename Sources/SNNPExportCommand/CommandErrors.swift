import ArgumentParser

/// The one error path of the command-line tools (`snnp` and its subcommands,
/// `snnp-export`): a library error (file, line and what was expected) becomes one line
/// on stderr, "Error: <message>", and exit code 1. ArgumentParser's ExitCode (Ctrl-C's
/// 130) is not CustomStringConvertible, so it passes through unchanged.
public func reportingErrors<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let e as CustomStringConvertible {
    throw CommandFailure(e.description)
  }
}

/// A failed command's message.
public struct CommandFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ message: String) { description = message }
}

/// A command whose work is ``execute()``, run through ``reportingErrors(_:)``.
public protocol ReportingCommand: ParsableCommand {
  /// The command's work; any error becomes one line on stderr and exit code 1.
  func execute() throws
}

extension ReportingCommand {
  public func run() throws { try reportingErrors { try execute() } }
}
