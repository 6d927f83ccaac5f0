import ArgumentParser
import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPInspect

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Interpretability plots of a potential (SVG figures + CSV numbers, docs/interpretability.md).",
    subcommands: [
      Splines.self, Filters.self, Sensitivity.self, ParityPlot.self, Map.self, Path.self,
      Curves.self, Geometry.self,
    ])

  struct Splines: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Plot every spline family (pair φ, f, ρ, g) with its knots: <family>.svg, .csv, _knots.csv."
    )
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Samples per curve.") var samples = 241

    func execute() throws {
      let p = try PotentialFile.read(path: potential).potential
      let files = try SplinePlots.write(p, to: out, samples: samples)
      print(
        "wrote \(files.count) files to \(out): \(files.filter { $0.hasSuffix(".svg") }.joined(separator: " "))"
      )
    }
  }

  struct Filters: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Polar maps of the three-body filters: f(r)·∫f(r_k)dr_k·g(cos θ), one panel per filter plus the average."
    )
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Element whose f and g (El-El) splines are drawn (default: the first).")
    var element: String?
    @Option(help: "Lattice for the reference circles (bcc, fcc, diamond).") var lattice = "bcc"
    @Option(help: "Cubic lattice constant for the reference circles (Å).") var a = 3.16
    @Option(help: "Lower end of the r_k integral and of the map's radius (Å).") var rkMin = 1.5
    @Option(
      help: "Upper end of the r_k integral and of the map's radius (Å; capped at the f cutoff).")
    var rkMax = 7.0
    @Option(help: "Radial cells.") var radialCells = 60
    @Option(help: "Angular cells over 0…180°.") var angularCells = 72
    @Flag(
      help:
        "Every element in one figure (Fig. C1): shared filters once, with each element's shells; element-resolved filters one row per element."
    )
    var allElements = false
    @Option(
      help:
        "With --all-elements: an element's crystal for its shells, El=lattice:a (repeatable; default: the mlearn ground states of Mo, Li, Si, Ge)."
    )
    var crystal: [String] = []
    @Flag(
      help:
        "With --all-elements: one colour scale for all panels (default: each panel on its own ±max)."
    )
    var commonScale = false

    func validate() throws {
      if allElements && element != nil {
        throw ValidationError("--element and --all-elements exclude each other")
      }
      if !allElements && !crystal.isEmpty {
        throw ValidationError(
          "--crystal goes with --all-elements (use --lattice and --a for one element)")
      }
    }

    func execute() throws {
      let p = try PotentialFile.read(path: potential).potential
      if allElements { return try runAllElements(p) }
      guard let lat = Lattice(rawValue: lattice) else {
        throw ValidationError("--lattice \(lattice): expected one of bcc, fcc, diamond")
      }
      let c = try elementIndex(p, element, file: potential)
      let rMax = min(rkMax, p.f.isEmpty ? rkMax : p.f[p.fBankIndex(c)].cutoff)
      let maps = try FilterMaps.maps(
        p, element: c, rMin: rkMin, rMax: rMax, rkMin: rkMin, rkMax: rkMax,
        radialCells: radialCells,
        angularCells: angularCells, file: potential)
      let avg = FilterMaps.average(maps)
      let shells = lat.neighborDistances(a: a)
      let title =
        "\(p.elements[c]) three-body filters f(r)·∫f(r_k)dr_k·g(cos θ), r_k ∈ [\(rkMin), \(rkMax)] Å; circles: \(lattice) a = \(a) Å"
      try writeOutput(
        FilterMaps.svg(maps, average: avg, shells: shells, title: title), directory: out,
        name: "filters.svg")
      for m in maps {
        try writeOutput(FilterMaps.csv(m), directory: out, name: "filter_\(m.filter).csv")
      }
      try writeOutput(FilterMaps.csv(avg), directory: out, name: "filter_average.csv")
      print(
        "wrote \(out)/filters.svg and \(maps.count + 1) CSV files (element \(p.elements[c]), r ∈ [\(rkMin), \(rMax)] Å)"
      )
    }

    func runAllElements(_ p: Potential) throws {
      var crystals = MultiElementFilterMaps.groundStates
      for text in crystal {
        let (el, x) = try MultiElementFilterMaps.Crystal.parse(text)
        guard p.elements.contains(el) else {
          throw CommandFailure(
            "--crystal \(text): \(potential) has no element \(el) (expected one of \(p.elements.joined(separator: ", ")))"
          )
        }
        crystals[el] = x
      }
      let blocks = try MultiElementFilterMaps.blocks(
        p, crystals: crystals, rkMin: rkMin, rkMax: rkMax, radialCells: radialCells,
        angularCells: angularCells,
        file: potential)
      let mode = p.sharedFilters ? "shared filters" : "element-resolved filters"
      let title =
        "\((potential as NSString).lastPathComponent): three-body filters f(r)·∫f(r_k)dr_k·g(cos θ) (\(mode))"
      var files = 0
      try writeOutput(
        MultiElementFilterMaps.svg(
          blocks, elements: p.elements, crystals: crystals, title: title,
          perPanelScale: !commonScale),
        directory: out,
        name: "filters.svg")
      for b in blocks {
        let prefix = blocks.count == 1 ? "filter" : "filter_\(b.label)"
        for m in b.maps + [b.average] {
          try writeOutput(
            FilterMaps.csv(m), directory: out,
            name: "\(prefix)_\(m.filter == 0 ? "average" : String(m.filter)).csv")
          files += 1
        }
      }
      let missing = p.elements.filter { crystals[$0] == nil }
      print(
        "wrote \(out)/filters.svg and \(files) CSV files (\(blocks.count) block(s): \(blocks.map(\.label).joined(separator: "; ")))"
      )
      if !missing.isEmpty {
        print("no shells for \(missing.joined(separator: ", ")) (give --crystal El=lattice:a)")
      }
    }
  }

  struct Sensitivity: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Per-element sensitivity of atomic energies to each three-body filter, and their correlation."
    )
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(
      help: "Extended-XYZ data files with reference energies (one or more, e.g. one per element).")
    var data: [String]
    @Option(help: "Output directory.") var out: String
    @Flag(
      help:
        "Figure and table show each element's sensitivities divided by its largest (the correlation is unchanged)."
    )
    var relative = false

    func execute() throws {
      let p = try PotentialFile.read(path: potential).potential
      let sets = try data.map { (label: $0, frames: try ExtXYZ.read(path: $0)) }
      let s = try SNNPInspect.Sensitivity.compute(p, sets: sets)
      let frames = sets.map(\.frames.count).reduce(0, +)
      let table = s.table(relative: relative)
      try writeOutput(s.csv(), directory: out, name: "sensitivity.csv")
      try writeOutput(s.correlationCSV(), directory: out, name: "sensitivity_correlation.csv")
      try writeOutput(table, directory: out, name: "sensitivity_table.md")
      try writeOutput(
        s.barChartSVG(title: "Filter sensitivity, \(frames) frames", relative: relative),
        directory: out,
        name: "sensitivity.svg")
      try writeOutput(
        s.correlationSVG(title: "Correlation of sensitivities"), directory: out,
        name: "sensitivity_correlation.svg")
      print(table, terminator: "")
      print(
        "wrote \(out)/sensitivity.{svg,csv}, sensitivity_table.md, sensitivity_correlation.{svg,csv} (\(s.frames) frames, \(s.skipped) without energy skipped)"
      )
    }
  }

  struct Path: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Energy along the energy-volume curve of a lattice, split into filters and linear / network parts."
    )
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Element (default: the first).") var element: String?
    @Option(help: "Lattice (bcc, fcc, diamond).") var lattice = "bcc"
    @Option(help: "Reference cubic lattice constant a0 (Å).") var a = 3.16
    @Option(help: "Smallest linear strain of a.") var strainMin = -0.1
    @Option(help: "Largest linear strain of a.") var strainMax = 0.1
    @Option(help: "Number of points.") var points = 41

    func execute() throws {
      let p = try PotentialFile.read(path: potential).potential
      guard let lat = Lattice(rawValue: lattice) else {
        throw ValidationError("--lattice \(lattice): expected one of bcc, fcc, diamond")
      }
      let c = try elementIndex(p, element, file: potential)
      guard points >= 2, strainMax > strainMin else {
        throw ValidationError("need --points >= 2 and --strain-max > --strain-min")
      }
      let strains = (0..<points).map {
        strainMin + (strainMax - strainMin) * Double($0) / Double(points - 1)
      }
      let path = try EnergyPath.compute(p, element: c, lattice: lat, a0: a, strains: strains)
      let title = "\(p.elements[c]) \(lattice): energy-volume curve and its decomposition"
      try writeOutput(EnergyPath.svg(path, title: title), directory: out, name: "path.svg")
      try writeOutput(EnergyPath.csv(path), directory: out, name: "path.csv")
      let best = path.min { $0.energy < $1.energy }!
      print(
        String(
          format: "minimum on the path: a = %.4f Å, E = %.5f eV/atom (linear %.5f, network %.5f)",
          best.a, best.energy, best.linear, best.network))
      print("wrote \(out)/path.svg, path.csv")
    }
  }

  struct Curves: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Learning curves (training and validation energy and force MAE) from a fit's log.csv.")
    @Argument(help: "The fit's log.csv.") var log: String
    @Option(help: "Output directory.") var out: String

    func execute() throws {
      let text = try TextFile.read(log)
      let curves = try LearningCurves.parse(text, file: log)
      try writeOutput(
        curves.svg(title: "learning curves: \(log)"), directory: out, name: "curves.svg")
      print("wrote \(out)/curves.svg (\(curves.epochs.count) epochs)")
    }
  }

  struct ParityPlot: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "parity",
      abstract: "Energy-per-atom and force-component parity plots with MAE/RMSE.")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(help: "Extended-XYZ data files (one or more).") var data: [String]
    @Option(help: "Output directory.") var out: String
    @Option(
      help:
        "Colour by config_type, element (energies: the frame's elements; forces: the atom's) or dataset."
    )
    var color = "config_type"
    @Option(help: "Force components drawn at most (every k-th; the errors use all).")
    var maxForcePoints = 20000

    func execute() throws {
      guard let grouping = Parity.Grouping(rawValue: color) else {
        throw ValidationError("--color \(color): expected one of config_type, element, dataset")
      }
      let p = try PotentialFile.read(path: potential).potential
      let sets = try data.map { (label: $0, frames: try ExtXYZ.read(path: $0)) }
      let r = try Parity.compute(p, sets: sets)
      let names = data.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
      let frames = sets.map(\.frames.count).reduce(0, +)
      let table = r.groupTable(by: grouping)
      try writeOutput(
        r.svg(
          title: "\((potential as NSString).lastPathComponent) on \(names) (\(frames) frames)",
          by: grouping,
          maxForcePoints: maxForcePoints),
        directory: out, name: "parity.svg")
      try writeOutput(r.energyCSV(), directory: out, name: "parity_energy.csv")
      try writeOutput(r.forceCSV(), directory: out, name: "parity_force.csv")
      try writeOutput(table, directory: out, name: "parity_groups.md")
      let m = r.metricLines()
      print(
        "energy: " + m.energy.joined(separator: ", ") + "; force: "
          + m.force.joined(separator: ", "))
      print(table, terminator: "")
      print("wrote \(out)/parity.svg, parity_energy.csv, parity_force.csv, parity_groups.md")
    }
  }

  struct Geometry: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Histograms of the pair distances r_ij and angles cos θ_jik of data sets (Fig. B1): geometry.svg and CSV counts."
    )
    @Argument(help: "Extended-XYZ data files (one or more, one curve each).") var data: [String]
    @Option(help: "Output directory.") var out: String
    @Option(help: "Cutoff of the pairs and triplets (Å), e.g. the potential's.") var cutoff: Double
    @Option(help: "Bins over 0…cutoff.") var rBins = 100
    @Option(help: "Bins over cos θ ∈ [-1, 1].") var cosBins = 100

    func execute() throws {
      let hs = try data.map {
        try GeometryHistogram.compute(
          frames: try ExtXYZ.read(path: $0), label: shortLabel($0), cutoff: cutoff, rBins: rBins,
          cosBins: cosBins)
      }
      try writeOutput(
        GeometryHistogram.svg(hs, title: "Pair distances and angles within \(cutoff) Å"),
        directory: out, name: "geometry.svg")
      try writeOutput(
        GeometryHistogram.csv(hs, quantity: "r"), directory: out, name: "geometry_r.csv")
      try writeOutput(
        GeometryHistogram.csv(hs, quantity: "cos"), directory: out, name: "geometry_cos.csv")
      for h in hs {
        print(
          "\(h.label): \(h.frames) frames, \(h.atoms) atoms, \(h.pairs) pairs, \(h.triplets) triplets"
        )
      }
      print("wrote \(out)/geometry.svg, geometry_r.csv, geometry_cos.csv")
    }
  }

  struct Map: ReportingCommand {
    static let configuration = CommandConfiguration(
      abstract: "PCA map of all atoms' filter vectors G_i (first two components).")
    @Argument(help: "Potential file (.snnp).") var potential: String
    @Argument(help: "Extended-XYZ data file.") var data: String
    @Option(help: "Output directory.") var out: String
    @Option(help: "Colour by 'element' or 'config_type'.") var color = "element"

    func execute() throws {
      guard color == "element" || color == "config_type" else {
        throw ValidationError("--color \(color): expected element or config_type")
      }
      let p = try PotentialFile.read(path: potential).potential
      let frames = try ExtXYZ.read(path: data)
      let m = try FilterSpaceMap.compute(p, frames: frames, file: data)
      try writeOutput(
        m.svg(
          byElement: color == "element",
          title: "Filter space (PCA of G_i), \(m.points.count) atoms"), directory: out,
        name: "map.svg")
      try writeOutput(m.csv(), directory: out, name: "map.csv")
      try writeOutput(m.componentsCSV(), directory: out, name: "map_components.csv")
      let explained = m.pca.variances.map {
        String(format: "%.1f%%", 100 * $0 / max(m.pca.totalVariance, 1e-300))
      }
      print(
        "PC variance explained: \(explained.joined(separator: ", ")); wrote \(out)/map.svg, map.csv, map_components.csv"
      )
    }
  }
}

/// Index of `name` among the potential's elements (the first when nil), or a clear error.
func elementIndex(_ p: Potential, _ name: String?, file: String) throws -> Int {
  guard let name else { return 0 }
  guard let k = p.elements.firstIndex(of: name) else {
    throw CommandFailure(
      "\(file): no element '\(name)' (expected one of \(p.elements.joined(separator: ", ")))")
  }
  return k
}

/// The last two components of a path ("Mo/train.xyz"), a legible legend label.
func shortLabel(_ path: String) -> String {
  path.split(separator: "/").suffix(2).joined(separator: "/")
}
