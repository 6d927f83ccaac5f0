import SNNPCore

/// The energy of a perfect lattice along its energy–volume curve, decomposed into
/// filter activations and the linear / network parts of the atomic energy (the
/// paper's Fig. C2). Every atom of a perfect cubic lattice is equivalent, so one
/// atom's numbers describe all.
public enum EnergyPath {
  /// One point of the path.
  public struct Point: Equatable, Sendable {
    /// Lattice constant (Å).
    public var a: Double
    /// Volume per atom (Å³).
    public var volume: Double
    /// The filter vector G of an atom (G3 then G2).
    public var filters: [Double]
    /// Linear part b + ½Σ(φ + core) + skip·ΣG of the atomic energy (eV).
    public var linear: Double
    /// Network (regressor) part of the atomic energy (eV).
    public var network: Double
    /// Energy per atom (eV).
    public var energy: Double
  }

  /// Evaluates `lattice` of `element` at lattice constants a0·(1 + s) for each s of `strains`.
  public static func compute(
    _ potential: Potential, element: Int, lattice: Lattice, a0: Double, strains: [Double]
  ) throws -> [Point] {
    let evaluator = Evaluator(potential)
    return try strains.map { s in
      let a = a0 * (1 + s)
      let structure = lattice.cell(a: a, element: element)
      let r = try evaluator.evaluate(structure)
      let n = Double(structure.count)
      return Point(
        a: a, volume: a * a * a / n, filters: r.filters[0], linear: r.energyParts[0][0],
        network: r.energyParts[0][1], energy: r.energy / n)
    }
  }

  /// CSV: a, volume, energy, linear, network, G_1 … G_n.
  public static func csv(_ points: [Point]) -> String {
    let nf = points.first?.filters.count ?? 0
    var rows = [
      "a_A,volume_A3_per_atom,energy_eV_per_atom,linear_eV,network_eV,"
        + (1...max(nf, 1)).prefix(nf).map { "G\($0)" }.joined(separator: ",")
    ]
    for p in points {
      rows.append(
        ([p.a, p.volume, p.energy, p.linear, p.network] + p.filters).map(csvNumber).joined(
          separator: ","))
    }
    return rows.joined(separator: "\n") + "\n"
  }

  /// Two panels against volume per atom: energy with its linear and network parts,
  /// and every filter activation G[a].
  public static func svg(_ points: [Point], title: String) -> String {
    var svg = SVG(width: 1000, height: 430)
    svg.text(500, 24, title, size: 15, anchor: "middle", bold: true)
    let v = points.map(\.volume)
    let xr = (v.min() ?? 0)...(max(v.max() ?? 1, (v.min() ?? 0) + 1e-9))
    func span(_ values: [Double]) -> ClosedRange<Double> {
      let lo = values.min() ?? 0
      let hi = values.max() ?? 1
      let pad = max(hi - lo, 1e-9) * 0.06
      return (lo - pad)...(hi + pad)
    }
    // Energies relative to the minimum total energy, so the three curves share one axis.
    let e0 = points.map(\.energy).min() ?? 0
    let l0 = points.map(\.linear).min() ?? 0
    let n0 = points.map(\.network).min() ?? 0
    let series: [(String, [Double])] = [
      ("E − min", points.map { $0.energy - e0 }), ("linear − min", points.map { $0.linear - l0 }),
      ("network − min", points.map { $0.network - n0 }),
    ]
    let left = PlotArea(
      left: 70, top: 50, width: 380, height: 310, x: xr, y: span(series.flatMap(\.1)))
    left.drawAxes(
      &svg, xLabel: "volume per atom (Å³)", yLabel: "energy per atom (eV)",
      title: "energy and its parts")
    for (k, (name, ys)) in series.enumerated() {
      svg.polyline(
        zip(v, ys).map { (left.px($0), left.py($1)) }, stroke: ColorMap.categorical(k), width: 2)
      svg.text(
        left.left + 10, left.top + 16 + 15 * Double(k), name, size: 12,
        color: ColorMap.categorical(k))
    }
    let nf = points.first?.filters.count ?? 0
    let right = PlotArea(
      left: 560, top: 50, width: 380, height: 310, x: xr, y: span(points.flatMap(\.filters)))
    right.drawAxes(
      &svg, xLabel: "volume per atom (Å³)", yLabel: "filter activation G", title: "filters")
    for a in 0..<nf {
      let ys = points.map { $0.filters[a] }
      svg.polyline(
        zip(v, ys).map { (right.px($0), right.py($1)) }, stroke: ColorMap.categorical(a), width: 1.6
      )
      svg.text(
        right.left + right.width + 8, right.top + 12 + 14 * Double(a), "G\(a + 1)", size: 11,
        color: ColorMap.categorical(a))
    }
    return svg.render()
  }
}
