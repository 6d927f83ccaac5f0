import ArgumentParser
import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPInspect

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Interpretability plots of a potential (SVG figures + CSV numbers, docs/interpretability.md).",
    subcommands: [Splines.self, Filters.self, Sensitivity.self, ParityPlot.self, Map.self, Path.self, Curves.self])

  struct Splines: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Plot every spline family (pair φ, f, ρ, g) with its knots: <family>.svg, .csv, _knots.csv.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Samples per curve.") var samples = 241

    func run() throws {
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      let files = try reportingErrors { try SplinePlots.write(p, to: out, samples: samples) }
      print("wrote \(files.count) files to \(out): \(files.filter { $0.hasSuffix(".svg") }.joined(separator: " "))")
    }
  }

  struct Filters: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Polar maps of the three-body filters: f(r)·∫f(r_k)dr_k·g(cos θ), one panel per filter plus the average.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Element whose f and g (El-El) splines are drawn (default: the first).") var element: String?
    @Option(help: "Lattice for the reference circles (bcc, fcc, diamond).") var lattice = "bcc"
    @Option(help: "Cubic lattice constant for the reference circles (Å).") var a = 3.16
    @Option(help: "Lower end of the r_k integral and of the map's radius (Å).") var rkMin = 1.5
    @Option(help: "Upper end of the r_k integral and of the map's radius (Å; capped at the f cutoff).") var rkMax = 7.0
    @Option(help: "Radial cells.") var radialCells = 60
    @Option(help: "Angular cells over 0…180°.") var angularCells = 72

    func run() throws {
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      guard let lat = Lattice(rawValue: lattice) else {
        throw ValidationError("--lattice \(lattice): expected one of bcc, fcc, diamond")
      }
      let c = try elementIndex(p, element, file: potential)
      let rMax = min(rkMax, p.f.isEmpty ? rkMax : p.f[p.fBankIndex(c)].cutoff)
      let maps = try reportingErrors {
        try FilterMaps.maps(
          p, element: c, rMin: rkMin, rMax: rMax, rkMin: rkMin, rkMax: rkMax, radialCells: radialCells,
          angularCells: angularCells, file: potential)
      }
      let avg = FilterMaps.average(maps)
      let shells = lat.neighborDistances(a: a)
      let title = "\(p.elements[c]) three-body filters f(r)·∫f(r_k)dr_k·g(cos θ), r_k ∈ [\(rkMin), \(rkMax)] Å; circles: \(lattice) a = \(a) Å"
      try reportingErrors {
        try writeOutput(FilterMaps.svg(maps, average: avg, shells: shells, title: title), directory: out, name: "filters.svg")
        for m in maps { try writeOutput(FilterMaps.csv(m), directory: out, name: "filter_\(m.filter).csv") }
        try writeOutput(FilterMaps.csv(avg), directory: out, name: "filter_average.csv")
      }
      print("wrote \(out)/filters.svg and \(maps.count + 1) CSV files (element \(p.elements[c]), r ∈ [\(rkMin), \(rMax)] Å)")
    }
  }

  struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Per-element sensitivity of atomic energies to each three-body filter, and their correlation.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(help: "Extended-XYZ data file with reference energies.") var data: String
    @Option(help: "Output directory.") var out: String

    func run() throws {
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      let frames = try reportingErrors { try ExtXYZ.read(path: data) }
      let s = try reportingErrors { try SNNPInspect.Sensitivity.compute(p, frames: frames, file: data) }
      try reportingErrors {
        try writeOutput(s.csv(), directory: out, name: "sensitivity.csv")
        try writeOutput(s.correlationCSV(), directory: out, name: "sensitivity_correlation.csv")
        try writeOutput(s.barChartSVG(title: "Filter sensitivity, \(frames.count) frames"), directory: out, name: "sensitivity.svg")
        try writeOutput(s.correlationSVG(title: "Correlation of sensitivities"), directory: out, name: "sensitivity_correlation.svg")
      }
      for (c, el) in s.elements.enumerated() {
        print("\(el): s_E^a " + s.values[c].map { String(format: "%.4g", $0) }.joined(separator: " "))
        print("\(el): regressor only " + s.regressorValues[c].map { String(format: "%.4g", $0) }.joined(separator: " "))
      }
      print("wrote \(out)/sensitivity.{svg,csv}, sensitivity_correlation.{svg,csv} (\(s.frames) frames, \(s.skipped) without energy skipped)")
    }
  }

  struct Path: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Energy along the energy-volume curve of a lattice, split into filters and linear / network parts.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Element (default: the first).") var element: String?
    @Option(help: "Lattice (bcc, fcc, diamond).") var lattice = "bcc"
    @Option(help: "Reference cubic lattice constant a0 (Å).") var a = 3.16
    @Option(help: "Smallest linear strain of a.") var strainMin = -0.1
    @Option(help: "Largest linear strain of a.") var strainMax = 0.1
    @Option(help: "Number of points.") var points = 41

    func run() throws {
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      guard let lat = Lattice(rawValue: lattice) else {
        throw ValidationError("--lattice \(lattice): expected one of bcc, fcc, diamond")
      }
      let c = try elementIndex(p, element, file: potential)
      guard points >= 2, strainMax > strainMin else { throw ValidationError("need --points >= 2 and --strain-max > --strain-min") }
      let strains = (0..<points).map { strainMin + (strainMax - strainMin) * Double($0) / Double(points - 1) }
      let path = try reportingErrors { try EnergyPath.compute(p, element: c, lattice: lat, a0: a, strains: strains) }
      let title = "\(p.elements[c]) \(lattice): energy-volume curve and its decomposition"
      try reportingErrors {
        try writeOutput(EnergyPath.svg(path, title: title), directory: out, name: "path.svg")
        try writeOutput(EnergyPath.csv(path), directory: out, name: "path.csv")
      }
      let best = path.min { $0.energy < $1.energy }!
      print(String(format: "minimum on the path: a = %.4f Å, E = %.5f eV/atom (linear %.5f, network %.5f)", best.a, best.energy, best.linear, best.network))
      print("wrote \(out)/path.svg, path.csv")
    }
  }

  struct Curves: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Learning curves (training and validation energy and force MAE) from a fit's log.csv.")
    @Argument(help: "The fit's log.csv.") var log: String
    @Option(help: "Output directory.") var out: String

    func run() throws {
      let text = try reportingErrors { try TextFile.read(log) }
      let curves = try reportingErrors { try LearningCurves.parse(text, file: log) }
      try reportingErrors { try writeOutput(curves.svg(title: "learning curves: \(log)"), directory: out, name: "curves.svg") }
      print("wrote \(out)/curves.svg (\(curves.epochs.count) epochs)")
    }
  }

  struct ParityPlot: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "parity", abstract: "Energy-per-atom and force-component parity plots with MAE/RMSE.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(help: "Extended-XYZ data file.") var data: String
    @Option(help: "Output directory.") var out: String

    func run() throws {
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      let frames = try reportingErrors { try ExtXYZ.read(path: data) }
      let r = try reportingErrors { try Parity.compute(p, frames: frames, file: data) }
      let name = (data as NSString).lastPathComponent
      try reportingErrors {
        try writeOutput(r.svg(title: "\((potential as NSString).lastPathComponent) on \(name) (\(frames.count) frames)"), directory: out, name: "parity.svg")
        try writeOutput(r.energyCSV(), directory: out, name: "parity_energy.csv")
        try writeOutput(r.forceCSV(), directory: out, name: "parity_force.csv")
      }
      let m = r.metricLines()
      print("energy: " + m.energy.joined(separator: ", ") + "; force: " + m.force.joined(separator: ", "))
      print("wrote \(out)/parity.svg, parity_energy.csv, parity_force.csv")
    }
  }

  struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "PCA map of all atoms' filter vectors G_i (first two components).")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(help: "Extended-XYZ data file.") var data: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Colour by 'element' or 'config_type'.") var color = "element"

    func run() throws {
      guard color == "element" || color == "config_type" else {
        throw ValidationError("--color \(color): expected element or config_type")
      }
      let p = try reportingErrors { try PotentialFile.read(path: potential) }.potential
      let frames = try reportingErrors { try ExtXYZ.read(path: data) }
      let m = try reportingErrors { try FilterSpaceMap.compute(p, frames: frames, file: data) }
      try reportingErrors {
        try writeOutput(
          m.svg(byElement: color == "element", title: "Filter space (PCA of G_i), \(m.points.count) atoms"), directory: out,
          name: "map.svg")
        try writeOutput(m.csv(), directory: out, name: "map.csv")
        try writeOutput(m.componentsCSV(), directory: out, name: "map_components.csv")
      }
      let explained = m.pca.variances.map { String(format: "%.1f%%", 100 * $0 / max(m.pca.totalVariance, 1e-300)) }
      print("PC variance explained: \(explained.joined(separator: ", ")); wrote \(out)/map.svg, map.csv, map_components.csv")
    }
  }
}

/// Index of `name` among the potential's elements (the first when nil), or a clear error.
func elementIndex(_ p: Potential, _ name: String?, file: String) throws -> Int {
  guard let name else { return 0 }
  guard let k = p.elements.firstIndex(of: name) else {
    throw ValidationFailure(message: "\(file): no element '\(name)' (expected one of \(p.elements.joined(separator: ", ")))")
  }
  return k
}
