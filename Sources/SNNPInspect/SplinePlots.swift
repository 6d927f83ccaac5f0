import SNNPCore

/// One family of splines of a potential sampled for plotting: a whole ``SplineBank``
/// (all f[a] of one element, all g[a] of one pair, all ρ[b], or the pair term φ).
public struct SplineFamily {
  /// Role: "pair", "f", "rho", "h" (four-body moments) or "g".
  public var role: String
  /// Element ("Mo") or element pair ("Mo-Nb") the bank belongs to.
  public var owner: String
  /// The bank.
  public var bank: SplineBank
  /// Sample positions: r (Å) for radial roles, cos θ for g.
  public var x: [Double]
  /// `values[s][k]`: spline s at x[k] (eV for pair; dimensionless or eV-scaled for filters).
  public var values: [[Double]]

  /// File-name stem, e.g. "f_Mo" or "pair_Mo-Mo".
  public var name: String { "\(role)_\(owner)" }
  /// Whether the abscissa is a distance (Å) rather than cos θ.
  public var isRadial: Bool { role != "g" }
}

/// Sampling and plotting of every spline family of a potential (`snnp inspect splines`).
public enum SplinePlots {
  /// Every bank of `potential` (pair φ, each f, each ρ, each h, each g), sampled at `samples`
  /// uniform points: radial banks from their first knot to their cutoff (Å), angular
  /// banks over cos θ ∈ [−1, 1]. Values come from ``SplineBank/evaluateAll(_:)``.
  public static func families(_ potential: Potential, samples: Int = 241) -> [SplineFamily] {
    let p = potential
    var banks: [(String, String, SplineBank)] = []
    func pairName(_ k: Int) -> String {
      let (a, b) = p.elementPair(k)
      return "\(p.elements[a])-\(p.elements[b])"
    }
    for (k, b) in (p.pair ?? []).enumerated() { banks.append(("pair", pairName(k), b)) }
    // Shared filters: one bank per role, named "all" (a file name cannot hold '*').
    for (c, b) in p.f.enumerated() {
      banks.append(("f", p.sharedFilters ? "all" : p.elements[c], b))
    }
    for (c, b) in p.rho.enumerated() {
      banks.append(("rho", p.sharedFilters ? "all" : p.elements[c], b))
    }
    for (c, b) in p.h.enumerated() {
      banks.append(("h", p.sharedFilters ? "all" : p.elements[c], b))
    }
    for (k, b) in p.g.enumerated() { banks.append(("g", p.sharedFilters ? "all" : pairName(k), b)) }
    return banks.map { role, owner, bank in
      let radial = role != "g"
      let lo = radial ? bank.knots[0] : -1.0
      let hi = radial ? (bank.cutoff.isFinite ? bank.cutoff : bank.knots.last!) : 1.0
      let x = uniformKnots(from: lo, to: hi, count: max(samples, 2))
      var values = [[Double]](repeating: [], count: bank.count)
      for xi in x {
        let v = bank.evaluateAll(xi).values
        for s in 0..<bank.count { values[s].append(v[s]) }
      }
      return SplineFamily(role: role, owner: owner, bank: bank, x: x, values: values)
    }
  }

  /// CSV of a family: header `x,<role>1,…`, one row per sample (full precision).
  public static func csv(_ family: SplineFamily) -> String {
    let xName = family.isRadial ? "r_A" : "cos_theta"
    var lines = [
      ([xName] + (1...family.bank.count).map { "\(family.role)\($0)" }).joined(separator: ",")
    ]
    for (k, x) in family.x.enumerated() {
      lines.append(([csvNumber(x)] + family.values.map { csvNumber($0[k]) }).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// CSV of the knots: `knot,x,<role>1,…` with the spline values at each knot.
  public static func knotsCSV(_ family: SplineFamily) -> String {
    let xName = family.isRadial ? "r_A" : "cos_theta"
    var lines = [
      (["knot", xName] + (1...family.bank.count).map { "\(family.role)\($0)" }).joined(
        separator: ",")
    ]
    for (k, x) in family.bank.knots.enumerated() {
      lines.append(
        (["\(k)", csvNumber(x)] + family.bank.splines.map { csvNumber($0.values[k]) }).joined(
          separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// An SVG line plot of the family: one curve per spline, knot positions as dotted
  /// vertical lines and as dots on each curve, the cutoff as a dashed line.
  public static func svg(_ family: SplineFamily) -> String {
    var svg = SVG(width: 720, height: 460)
    let all = family.values.flatMap { $0 }
    var lo = all.min() ?? 0
    var hi = all.max() ?? 1
    let pad = 0.05 * max(hi - lo, 1e-9)
    lo -= pad
    hi += pad
    let area = PlotArea(
      left: 80, top: 40, width: 500, height: 360, x: family.x.first!...family.x.last!, y: lo...hi)
    let label: String
    switch family.role {
    case "pair": label = "pair term φ (eV)"
    case "f": label = "f[a](r)"
    case "rho": label = "ρ[b](r)"
    case "h": label = "h[a](r)"
    default: label = "g[a](cos θ)"
    }
    let title =
      "\(family.role == "pair" ? "pair φ" : family.role) \(family.owner): \(family.bank.count) spline\(family.bank.count == 1 ? "" : "s"), \(family.bank.knots.count) knots"
    area.drawAxes(&svg, xLabel: family.isRadial ? "r (Å)" : "cos θ", yLabel: label, title: title)
    if lo < 0 && hi > 0 {
      svg.line(
        area.left, area.py(0), area.left + area.width, area.py(0), stroke: "#888", width: 0.8)
    }
    for k in family.bank.knots where area.xRange.contains(k) {
      svg.line(
        area.px(k), area.top, area.px(k), area.top + area.height, stroke: "#bbbbbb", width: 0.8,
        dash: "2,3")
    }
    if family.isRadial, family.bank.cutoff.isFinite {
      let c = area.px(family.bank.cutoff)
      svg.line(c, area.top, c, area.top + area.height, stroke: "black", width: 1, dash: "6,4")
    }
    for (s, v) in family.values.enumerated() {
      let color = ColorMap.categorical(s)
      svg.polyline(zip(family.x, v).map { (area.px($0), area.py($1)) }, stroke: color, width: 1.8)
      for (k, x) in family.bank.knots.enumerated() where area.xRange.contains(x) {
        svg.circle(
          area.px(x), area.py(family.bank.splines[s].values[k]), r: 2.8, fill: color,
          stroke: "white", strokeWidth: 0.8)
      }
      let ly = 52 + Double(s) * 18
      svg.line(600, ly - 4, 624, ly - 4, stroke: color, width: 2.5)
      svg.text(
        630, ly,
        "\(family.role == "pair" ? "φ" : family.role)\(family.bank.count > 1 ? "\(s + 1)" : "")",
        size: 12)
    }
    let legendY = 52 + Double(family.bank.count) * 18 + 10
    svg.line(600, legendY - 4, 624, legendY - 4, stroke: "#bbbbbb", dash: "2,3")
    svg.text(630, legendY, "knots", size: 11)
    if family.isRadial {
      svg.line(600, legendY + 14, 624, legendY + 14, stroke: "black", dash: "6,4")
      svg.text(630, legendY + 18, "cutoff", size: 11)
    }
    return svg.render()
  }

  /// Writes `<name>.svg`, `<name>.csv` and `<name>_knots.csv` for every family into
  /// `directory`; returns the names of the files written.
  public static func write(
    _ potential: Potential, to directory: String, samples: Int = 241
  ) throws -> [String] {
    var written: [String] = []
    for f in families(potential, samples: samples) {
      try writeOutput(svg(f), directory: directory, name: f.name + ".svg")
      try writeOutput(csv(f), directory: directory, name: f.name + ".csv")
      try writeOutput(knotsCSV(f), directory: directory, name: f.name + "_knots.csv")
      written += [f.name + ".svg", f.name + ".csv", f.name + "_knots.csv"]
    }
    return written
  }
}
