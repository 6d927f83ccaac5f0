import Foundation
import SNNPFit
import Testing

/// `variant` and `optimizer` are enums: an unknown name is rejected where it is read (JSON
/// or flag) with the valid names and the nearest one; checkpoints keep the names as strings.
@Suite struct FitChoiceTests {
  @Test func names_AreTheConfigurationStrings() throws {
    #expect(FitVariant.allCases.map(\.rawValue) == ["int-all", "int-skip", "network", "linear"])
    #expect(FitOptimizer.allCases.map(\.rawValue) == ["amsgrad", "lbfgs", "least_squares"])
    #expect(try FitVariant(choosing: "int-skip") == .intSkip)
    #expect(try FitOptimizer(choosing: "lbfgs") == .lbfgs)
    #expect("\(FitVariant.intAll)" == "int-all")
    let defaults = FitConfiguration()
    #expect(defaults.variant == .intAll && defaults.optimizer == .amsgrad)
  }

  @Test func unknownNames_SayWhichAndSuggest() {
    func message(_ body: () throws -> Void) -> String {
      do {
        try body()
        return "accepted"
      } catch { return "\(error)" }
    }
    #expect(
      message { _ = try FitVariant(choosing: "int_all") }
        == "variant 'int_all' is not one of int-all, int-skip, network, linear (did you mean 'int-all'?)"
    )
    #expect(
      message { _ = try FitOptimizer(choosing: "lbgfs") }
        == "optimizer 'lbgfs' is not one of amsgrad, lbfgs, least_squares (did you mean 'lbfgs'?)")
    #expect(
      message { _ = try FitOptimizer(choosing: "sgd") }
        == "optimizer 'sgd' is not one of amsgrad, lbfgs, least_squares")
  }

  @Test func configurationFile_ReadsAndRejectsNames() throws {
    let path = NSTemporaryDirectory() + "snnp-choice-\(UInt32.random(in: 0...UInt32.max)).json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try #"{"variant": "network", "optimizer": "lbfgs"}"#.write(
      toFile: path, atomically: true, encoding: .utf8)
    let c = try FitConfiguration.read(path: path)
    #expect(c.variant == .network && c.optimizer == .lbfgs)
    // Encoded (checkpoints) as the same strings, and read back.
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as? [String: Any]
    #expect(json?["variant"] as? String == "network" && json?["optimizer"] as? String == "lbfgs")
    #expect(try JSONDecoder().decode(FitConfiguration.self, from: JSONEncoder().encode(c)) == c)

    try #"{"variant": "int_all"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      throws: FitError(
        "\(path): variant 'int_all' is not one of int-all, int-skip, network, linear (did you mean 'int-all'?)"
      )
    ) {
      try FitConfiguration.read(path: path)
    }
    try #"{"optimizer": "amsgard"}"#.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(
      throws: FitError(
        "\(path): optimizer 'amsgard' is not one of amsgrad, lbfgs, least_squares (did you mean 'amsgrad'?)")
    ) {
      try FitConfiguration.read(path: path)
    }
  }
}
