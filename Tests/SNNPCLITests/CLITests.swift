import Foundation
import Testing

// The command-line tools as a user runs them: the built `snnp` and `snnp-export`
// executables (next to this test binary), started as processes.
//
// Help snapshots live in Snapshots/; when a help text changes on purpose, rewrite them with
//   SNNP_UPDATE_SNAPSHOTS=1 swift test -c release --filter SNNPCLITests
// and review the diff (git diff Tests/SNNPCLITests/Snapshots) before committing.

/// The package root (for potentials/ and the fixtures).
let root: String = {
  var url = URL(fileURLWithPath: #filePath)
  for _ in 0..<3 { url.deleteLastPathComponent() }
  return url.path
}()

/// The directory of the built products: where this test executable is.
let products: String = {
  #if os(Linux)
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }
  #endif
  return Bundle.main.bundleURL.deletingLastPathComponent().path
}()

let snapshots = root + "/Tests/SNNPCLITests/Snapshots"
let xyzFixtures = root + "/Tests/SNNPDataTests/Fixtures"

struct Run {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// Runs `tool` (snnp or snnp-export) with `arguments` in the package root; help is wrapped
/// at 100 columns whatever the terminal.
func run(_ arguments: [String], tool: String = "snnp") throws -> Run {
  let path = products + "/" + tool
  guard FileManager.default.isExecutableFile(atPath: path) else {
    throw CLITestError("\(path) not built: run swift build -c release --build-tests first")
  }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: path)
  p.arguments = arguments
  p.currentDirectoryURL = URL(fileURLWithPath: root)
  var environment = ProcessInfo.processInfo.environment
  environment["COLUMNS"] = "100"
  p.environment = environment
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  // Read both pipes before waiting, so a long output cannot block the child.
  final class Box: @unchecked Sendable { var data = Data() }
  let errData = Box()
  let done = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    errData.data = err.fileHandleForReading.readDataToEndOfFile()
    done.signal()
  }
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  done.wait()
  p.waitUntilExit()
  return Run(
    status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData.data, as: UTF8.self))
}

struct CLITestError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// Compares `text` with the stored snapshot `name`, or rewrites it under SNNP_UPDATE_SNAPSHOTS=1.
func expectSnapshot(
  _ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let path = snapshots + "/" + name
  if ProcessInfo.processInfo.environment["SNNP_UPDATE_SNAPSHOTS"] != nil {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return
  }
  let stored = try String(contentsOfFile: path, encoding: .utf8)
  #expect(
    text == stored,
    "\(name) differs from the output; if the change is intended: SNNP_UPDATE_SNAPSHOTS=1 swift test -c release --filter SNNPCLITests",
    sourceLocation: sourceLocation)
}

@Suite struct HelpSnapshotTests {
  @Test func snnpHelp_MatchesSnapshot() throws {
    let r = try run(["--help"])
    #expect(r.status == 0 && r.stderr.isEmpty)
    try expectSnapshot(r.stdout, "snnp-help.txt")
  }

  @Test func fitHelp_MatchesSnapshot() throws {
    let r = try run(["fit", "--help"])
    #expect(r.status == 0 && r.stderr.isEmpty)
    try expectSnapshot(r.stdout, "snnp-fit-help.txt")
  }

  /// `snnp export` and `snnp-export` are one command under two names.
  @Test func exportHelp_IsTheSameUnderBothNames() throws {
    let sub = try run(["export", "--help"])
    let tool = try run(["--help"], tool: "snnp-export")
    #expect(sub.status == 0 && tool.status == 0)
    try expectSnapshot(sub.stdout, "snnp-export-help.txt")
    #expect(
      tool.stdout
        == sub.stdout.replacingOccurrences(of: "USAGE: snnp export", with: "USAGE: snnp-export"))
  }
}

@Suite struct CheckPotentialsTests {
  /// Every shipped potential passes `snnp check`, with the summary line stored in the snapshot.
  @Test func everyShippedPotential_Checks() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: root + "/potentials").filter {
      $0.hasSuffix(".snnp")
    }.sorted()
    #expect(files.count == 18)
    let r = try run(["check"] + files.map { "potentials/" + $0 })
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == files.count)
    for (line, f) in zip(lines, files) { #expect(line.hasPrefix("potentials/\(f): ok: elements ")) }
    try expectSnapshot(r.stdout, "check-potentials.txt")
  }
}

@Suite struct ExitCodeTests {
  let missingXYZ = "/nonexistent/frames.xyz"
  let missingSNNP = "/nonexistent/model.snnp"
  let malformedXYZ = xyzFixtures + "/malformed/atom-not-a-number.xyz"
  let malformedSNNP = root + "/Tests/SNNPFormatTests/Fixtures/malformed/wrong-count.snnp"
  let potential = "potentials/Mo.linear.snnp"

  /// The message ArgumentParser prints for a failing command: "Error: " and the library's message.
  func expectFailure(_ r: Run, _ message: String, sourceLocation: SourceLocation = #_sourceLocation)
  {
    #expect(r.status == 1, sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    #expect(r.stderr == "Error: \(message)\n", sourceLocation: sourceLocation)
  }

  @Test func check_MissingAndMalformed() throws {
    expectFailure(
      try run(["check", missingSNNP]),
      "\(missingSNNP): cannot open for reading: No such file or directory")
    expectFailure(
      try run(["check", malformedSNNP]),
      "\(malformedSNNP):15: expected 7 values after 'spline' (spline_bank f Nb, spline 2 of 2: 2 end slopes and 5 knot values), found 6"
    )
  }

  @Test func eval_MissingAndMalformed() throws {
    expectFailure(
      try run(["eval", missingSNNP, xyzFixtures + "/crlf-bom.xyz"]),
      "\(missingSNNP): cannot open for reading: No such file or directory")
    expectFailure(
      try run(["eval", potential, missingXYZ]),
      "\(missingXYZ): cannot open for reading: No such file or directory")
    expectFailure(
      try run(["eval", potential, malformedXYZ]),
      "\(malformedXYZ):7: frame 2: atom 2: expected a finite number for y, found 'abc'")
    expectFailure(
      try run(["eval", potential, malformedXYZ, "--json"]),
      "\(malformedXYZ):7: frame 2: atom 2: expected a finite number for y, found 'abc'")
  }

  @Test func fit_MissingAndMalformed() throws {
    let output = NSTemporaryDirectory() + "snnp-cli-test-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: output) }
    expectFailure(
      try run(["fit", "--train", missingXYZ, "-o", output, "--epochs", "1"]),
      "\(missingXYZ): cannot open for reading: No such file or directory")
    expectFailure(
      try run(["fit", "--train", malformedXYZ, "-o", output, "--epochs", "1"]),
      "\(malformedXYZ):7: frame 2: atom 2: expected a finite number for y, found 'abc'")
    expectFailure(
      try run(["fit", "--config", "/nonexistent/fit.json", "-o", output]),
      "/nonexistent/fit.json: cannot open for reading: No such file or directory")
  }

  /// The cross-system inspect commands: counts printed for a 3-atom frame, clear errors
  /// for a missing or malformed data file and a bad --crystal.
  @Test func inspectCrossSystem_CountsAndErrors() throws {
    let output = NSTemporaryDirectory() + "snnp-cli-test-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: output) }
    let ok = try run([
      "inspect", "geometry", xyzFixtures + "/extra-columns.xyz", "--cutoff", "3.0", "--out", output,
    ])
    #expect(ok.status == 0, "\(ok.stderr)")
    // Counted by hand. Frame 1, periodic in x and y (3.16 Å): within 3 Å atom 1 (0,0,0) sees
    // the 4 x/y images of atom 2 at (±1.58, ±1.58, 1.58), atom 3 (0.1,-0.2,3.3) the same 4
    // images, atom 2 both sets: 4 + 8 + 4 = 16 pairs, 6 + 28 + 6 = 40 triplets. Frame 2,
    // one atom in a 2.5 Å cube: 6 neighbours (the next shell is at 3.54 Å), 15 triplets.
    #expect(
      ok.stdout.contains("Fixtures/extra-columns.xyz: 2 frames, 4 atoms, 22 pairs, 55 triplets"))
    #expect(FileManager.default.fileExists(atPath: output + "/geometry.svg"))
    expectFailure(
      try run(["inspect", "geometry", missingXYZ, "--cutoff", "5", "--out", output]),
      "\(missingXYZ): cannot open for reading: No such file or directory")
    expectFailure(
      try run([
        "inspect", "parity", "potentials/Mo.linear.snnp", malformedXYZ, "--out", output, "--color",
        "element",
      ]),
      "\(malformedXYZ):7: frame 2: atom 2: expected a finite number for y, found 'abc'")
    expectFailure(
      try run([
        "inspect", "filters", "potentials/Mo.linear.snnp", "--all-elements", "--crystal",
        "Mo=hcp:3", "--out", output,
      ]),
      "--crystal Mo=hcp:3: expected El=lattice:a with lattice one of bcc, fcc, diamond and a > 0 in Å, e.g. Cu=fcc:3.63"
    )
  }

  /// `snnp export` and `snnp-export`: a missing and a malformed checkpoint.
  @Test func export_MissingAndMalformed() throws {
    let bad = NSTemporaryDirectory() + "snnp-cli-test-\(UInt32.random(in: 0...UInt32.max)).ckpt"
    try "not json".write(toFile: bad, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: bad) }
    for (arguments, tool) in [(["export"], "snnp"), ([], "snnp-export")] {
      expectFailure(
        try run(arguments + ["/nonexistent/best.ckpt", "-o", "/nonexistent/out.snnp"], tool: tool),
        "/nonexistent/best.ckpt: cannot open for reading: No such file or directory")
      // The rest of the message is Foundation's description of the JSON error.
      let r = try run(arguments + [bad, "-o", "/nonexistent/out.snnp"], tool: tool)
      #expect(r.status == 1 && r.stdout.isEmpty)
      #expect(
        r.stderr.hasPrefix("Error: \(bad): not a snnp checkpoint: ")
          && r.stderr.split(separator: "\n").count == 1)
    }
  }
}

@Suite struct EvalJSONTests {
  /// `snnp eval --json`: valid JSON (control characters in config_type escaped), every key
  /// the LAMMPS tests, python/ and the examples read, and the frame values from the file.
  @Test func json_HasEveryKeyAndEscapesStrings() throws {
    let path = NSTemporaryDirectory() + "snnp-cli-test-\(UInt32.random(in: 0...UInt32.max)).xyz"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = try String(contentsOfFile: xyzFixtures + "/crlf-bom.xyz", encoding: .utf8)
      .replacingOccurrences(of: "config_type=dimer", with: "config_type=\"di\\\"mer\tA\u{1}\"")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let r = try run(["eval", "potentials/Mo.int-all.snnp", path, "--json"])
    #expect(r.status == 0 && r.stderr.isEmpty)
    let top = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(top.keys.sorted() == ["data", "frames", "potential", "summary"])
    #expect(
      top["potential"] as? String == "potentials/Mo.int-all.snnp" && top["data"] as? String == path)
    let frames = try #require(top["frames"] as? [[String: Any]])
    #expect(frames.count == 2)
    let keys = [
      "atom_energies", "close_flags", "config_type", "energy", "energy_parts", "energy_per_atom",
      "energy_spread",
      "energy_spread_per_atom", "filters", "forces", "grades", "index", "line", "max_grade",
      "natoms", "reference_energy",
      "sigmas", "stress", "virial",
    ]
    for f in frames { #expect(f.keys.sorted() == keys) }
    #expect(frames[0]["config_type"] as? String == "di\"mer\tA\u{1}")
    #expect(frames[1]["config_type"] as? String == "bcc")
    #expect(
      frames.map { $0["index"] as? Int } == [0, 1] && frames.map { $0["line"] as? Int } == [1, 5])
    #expect(frames.map { $0["natoms"] as? Int } == [2, 1])
    #expect(frames.map { $0["reference_energy"] as? Double } == [-3.5, -10.875])
    #expect(frames[0]["stress"] is NSNull)  // a molecule: no stress
    #expect(
      (frames[1]["stress"] as? [Double])?.count == 9
        && (frames[1]["virial"] as? [Double])?.count == 6)
    #expect((frames[0]["forces"] as? [[Double]])?.map(\.count) == [3, 3])
    #expect((frames[0]["filters"] as? [[Double]])?.map(\.count) == [9, 9])  // N3 + N2 of Mo.int-all
    #expect(
      (frames[0]["close_flags"] as? [Int])?.count == 2
        && (frames[0]["grades"] as? [Double])?.count == 2)
    for f in frames {
      let e = try #require(f["energy"] as? Double)
      let n = try #require(f["natoms"] as? Int)
      #expect(f["energy_per_atom"] as? Double == e / Double(n))
      let atoms = try #require(f["atom_energies"] as? [Double])
      #expect(abs(atoms.reduce(0, +) - e) < 1e-9)
    }
    let summary = try #require(top["summary"] as? [String: Any])
    #expect(
      summary.keys.sorted() == ["all", "bcc", "di\"mer\tA\u{1}", "per_element", "uncertainty"])
    let all = try #require(summary["all"] as? [String: Any])
    #expect(
      all.keys.sorted() == [
        "energy_mae_meV_per_atom", "energy_rmse_meV_per_atom", "force_mae_eV_per_A",
        "force_rmse_eV_per_A", "frames",
      ])
    #expect(all["frames"] as? Int == 2)
    #expect(
      ((summary["per_element"] as? [String: Any])?["Mo"] as? [String: Any])?.keys.sorted() == [
        "force_mae_eV_per_A", "force_rmse_eV_per_A",
      ])
    #expect(
      (summary["uncertainty"] as? [String: Any])?.keys.sorted() == [
        "committee", "frames_outside", "graded", "max_grade", "spearman_grade_energy_error",
        "spearman_sigma_energy_error",
      ])
    #expect((summary["uncertainty"] as? [String: Any])?["graded"] as? Bool == true)
  }
}

@Suite struct FitChoiceFlagTests {
  /// A misspelt --variant is refused before anything is read, with the nearest name.
  @Test func fitVariantFlag_SuggestsTheNearest() throws {
    let r = try run([
      "fit", "--train", "/nonexistent/frames.xyz", "--variant", "int_skip", "-o",
      "/nonexistent/out",
    ])
    #expect(r.status == 1 && r.stdout.isEmpty)
    #expect(
      r.stderr
        == "Error: variant 'int_skip' is not one of int-all, int-skip, network, linear (did you mean 'int-skip'?)\n"
    )
  }
}

@Suite struct ExportTests {
  /// `snnp export` and `snnp-export` write the same file from a checkpoint (a 2-epoch fit of
  /// a tiny data set, too small for a training domain: both warn), and it passes `snnp check`.
  @Test func exportUnderBothNames_WritesTheSameFile() throws {
    let dir = NSTemporaryDirectory() + "snnp-cli-export-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fit = try run([
      "fit", "--train", "Tests/Fuzz/corpus/train-tiny.xyz", "--epochs", "2", "--threads", "1",
      "--seed", "3", "-o", dir + "/run",
    ])
    #expect(fit.status == 0)
    let a = try run(["export", dir + "/run/best.ckpt", "-o", dir + "/a.snnp"])
    let b = try run([dir + "/run/best.ckpt", "-o", dir + "/b.snnp"], tool: "snnp-export")
    #expect(a.status == 0 && b.status == 0)
    // 10 atoms of one structure cannot span the grade's 10 dimensions: each name warns.
    let why =
      "no training domain written (the 10 Mo atoms of the data do not span the 10 dimensions of (filters, 1) needed for the grade; calibrate with more varied frames); the extrapolation grade needs: snnp calibrate"
    #expect(a.stderr == "snnp export: warning: \(why) \(dir)/a.snnp TRAINING.xyz\n")
    #expect(b.stderr == "snnp-export: warning: \(why) \(dir)/b.snnp TRAINING.xyz\n")
    #expect(a.stdout.hasPrefix("wrote \(dir)/a.snnp (best on validation, epoch "))
    #expect(b.stdout == a.stdout.replacingOccurrences(of: "/a.snnp", with: "/b.snnp"))
    let fileA = try String(contentsOfFile: dir + "/a.snnp", encoding: .utf8)
    let fileB = try String(contentsOfFile: dir + "/b.snnp", encoding: .utf8)
    #expect(!fileA.isEmpty && fileA == fileB)
    let check = try run(["check", dir + "/a.snnp"])
    #expect(
      check.status == 0 && check.stdout.hasPrefix("\(dir)/a.snnp: ok: elements Mo,")
        && check.stdout.hasSuffix(", no training domain (grade: snnp calibrate)\n"))
  }
}
