import Foundation
import SNNPCore

/// A three-body filter drawn as a polar map (`snnp inspect filters`): atom i at the
/// origin, atom k anywhere on the θ = 0 axis, atom j at (r, θ). The value at (r, θ) is
///
///     M[a](r, θ) = f[a](r) · ∫_{rk_min}^{rk_max} f[a](r_k) dr_k · g[a](cos θ)
///
/// i.e. the filter's contribution with the k-distance integrated out (units: Å, since
/// f and g are dimensionless up to the filter's scale).
public struct FilterMap {
  /// Filter number, 1-based; 0 for the average over filters.
  public var filter: Int
  /// Radii of the cell centres (Å).
  public var radii: [Double]
  /// Angles θ of the cell centres (radians, 0…π).
  public var angles: [Double]
  /// `values[ir][it]` = M(radii[ir], angles[it]) (Å).
  public var values: [[Double]]
  /// ∫ f[a](r_k) dr_k over the r_k range (Å); for the average map, the mean of the filters'.
  public var integral: Double
}

/// Polar maps of the three-body filters.
public enum FilterMaps {
  /// ∫_{lo}^{hi} S(r) dr (Å × S) for spline `s` of a radial bank, with S = 0 at and beyond
  /// the bank's cutoff (as in the model) and linear extrapolation outside the knots.
  /// Exact to round-off: Simpson's rule on each piece between knots, which is exact for cubics.
  public static func integral(
    _ bank: SplineBank, spline s: Int, from lo: Double, to hi: Double
  ) -> Double {
    let upper = min(hi, bank.cutoff)
    guard upper > lo else { return 0 }
    var cuts = [lo] + bank.knots.filter { $0 > lo && $0 < upper } + [upper]
    cuts.sort()
    var total = 0.0
    for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
      let fa = bank.evaluateAll(a).values[s]
      let fm = bank.evaluateAll(0.5 * (a + b)).values[s]
      // The value at b from the left of b (b may be a knot: the spline is continuous there).
      let fb = bank.evaluateAll(b).values[s]
      total += (b - a) / 6 * (fa + 4 * fm + fb)
    }
    return total
  }

  /// The maps of every three-body filter of element `element` (its f bank and the
  /// g bank of the pair (element, element)), on `radialCells` × `angularCells` cells
  /// covering r ∈ [rMin, rMax] (Å) and θ ∈ [0, π]; the k-distance is integrated over
  /// [rkMin, rkMax] (Å).
  ///
  /// - Throws: ``InspectError`` if the potential has no three-body filters or no such element.
  public static func maps(
    _ potential: Potential, element: Int = 0, rMin: Double, rMax: Double, rkMin: Double,
    rkMax: Double,
    radialCells: Int = 60, angularCells: Int = 72, file: String = "potential"
  ) throws -> [FilterMap] {
    guard potential.threeBodyCount > 0 else {
      throw InspectError("\(file): no three-body filters (expected N3 > 0 on the 'filters' line)")
    }
    guard (0..<potential.elementCount).contains(element) else {
      throw InspectError(
        "\(file): element index \(element) outside the potential's \(potential.elementCount) elements"
      )
    }
    guard rMax > rMin, rkMax > rkMin else {
      throw InspectError("filter map: empty range (expected r_min < r_max and rk_min < rk_max)")
    }
    let fBank = potential.f[potential.fBankIndex(element)]
    let gBank = potential.g[potential.gBankIndex(element, element)]
    let radii = (0..<radialCells).map {
      rMin + (Double($0) + 0.5) * (rMax - rMin) / Double(radialCells)
    }
    let angles = (0..<angularCells).map { (Double($0) + 0.5) * Double.pi / Double(angularCells) }
    let fr = radii.map {
      $0 < fBank.cutoff ? fBank.evaluateAll($0).values : [Double](repeating: 0, count: fBank.count)
    }
    let gt = angles.map { gBank.evaluateAll(cos($0)).values }
    let integrals = (0..<fBank.count).map { integral(fBank, spline: $0, from: rkMin, to: rkMax) }
    if let basis = potential.threeBodyBasis {
      // Tensor form, filter (a, b, c): ½ [f_a(r) ∫f_b + f_b(r) ∫f_a] g_c(θ), the same
      // marginal over r_ik as the product form's f_a(r) ∫f_a g_a(θ) on its diagonal.
      return (0..<potential.threeBodyCount).map { m in
        let (a, b, c) = basis.components(m)
        let values = radii.indices.map { ir in
          angles.indices.map { it in
            0.5 * (fr[ir][a] * integrals[b] + fr[ir][b] * integrals[a]) * gt[it][c]
          }
        }
        return FilterMap(
          filter: m + 1, radii: radii, angles: angles, values: values,
          integral: 0.5 * (integrals[a] + integrals[b]))
      }
    }
    return (0..<potential.threeBodyCount).map { a in
      let I = integrals[a]
      let values = radii.indices.map { ir in angles.indices.map { it in fr[ir][a] * I * gt[it][a] }
      }
      return FilterMap(filter: a + 1, radii: radii, angles: angles, values: values, integral: I)
    }
  }

  /// The cell-wise mean of `maps` (filter number 0).
  public static func average(_ maps: [FilterMap]) -> FilterMap {
    precondition(!maps.isEmpty)
    var avg = maps[0]
    avg.filter = 0
    let n = Double(maps.count)
    for ir in avg.radii.indices {
      for it in avg.angles.indices {
        avg.values[ir][it] = maps.map { $0.values[ir][it] }.reduce(0, +) / n
      }
    }
    avg.integral = maps.map(\.integral).reduce(0, +) / n
    return avg
  }

  /// A reference circle on a polar map: radius (Å), stroke colour, SVG dash pattern.
  public struct ShellCircle: Equatable, Sendable {
    /// Radius (Å).
    public var radius: Double
    /// Stroke colour.
    public var color: String
    /// SVG dash pattern ("5,3": first shell, "2,3": second).
    public var dash: String
    /// Creates a circle.
    public init(radius: Double, color: String, dash: String) {
      self.radius = radius
      self.color = color
      self.dash = dash
    }
  }

  /// Draws one half-disc map whose panel has top-left corner (left, top) and `width`
  /// pixels, outer radius `radius` pixels, colours on ±`scale`, with reference circles.
  static func drawPanel(
    _ svg: inout SVG, _ m: FilterMap, left ox: Double, top oy: Double, width panelW: Double,
    radius R: Double,
    scale: Double, shells: [ShellCircle], labelSize: Double = 12
  ) {
    let cx = ox + panelW / 2 - 10
    let cy = oy + R + 15
    let rMax = m.radii.last! + 0.5 * (m.radii.last! - m.radii[max(0, m.radii.count - 2)])
    let dr = m.radii.count > 1 ? m.radii[1] - m.radii[0] : rMax
    let dt = m.angles.count > 1 ? m.angles[1] - m.angles[0] : Double.pi
    func pt(_ r: Double, _ t: Double) -> (Double, Double) {
      (cx + R * r / rMax * cos(t), cy - R * r / rMax * sin(t))
    }
    for (ir, r) in m.radii.enumerated() {
      for (it, t) in m.angles.enumerated() {
        let (r0, r1, t0, t1) = (r - dr / 2, r + dr / 2, t - dt / 2, t + dt / 2)
        svg.polygon(
          [pt(r0, t0), pt(r1, t0), pt(r1, t1), pt(r0, t1)],
          fill: ColorMap.diverging(m.values[ir][it] / scale), strokeWidth: 0.3)
      }
    }
    for s in shells where s.radius < rMax {
      var arc: [(Double, Double)] = []
      for q in 0...60 { arc.append(pt(s.radius, Double(q) * Double.pi / 60)) }
      svg.polyline(arc, stroke: s.color, width: 1, dash: s.dash)
    }
    svg.line(cx - R, cy, cx + R, cy, stroke: "#444", width: 0.8)
    svg.circle(cx, cy, r: 4, fill: "black")
    svg.text(cx, cy + 16, "i", size: 11, anchor: "middle")
    svg.text(cx + R + 4, cy + 4, "k →", size: 11)
    for t in niceTicks(0, rMax, count: 3) where t > 0 {
      svg.text(cx + R * t / rMax, cy + 14, tickLabel(t), size: 9, anchor: "middle", color: "#444")
    }
    svg.text(
      cx, oy + 2,
      m.filter == 0
        ? "average over filters" : "filter \(m.filter)  (∫f dr_k = \(tickLabel(m.integral)) Å)",
      size: labelSize, anchor: "middle")
  }

  /// CSV of one map: `r_A,theta_deg,value` rows (θ in degrees, value in Å).
  public static func csv(_ map: FilterMap) -> String {
    var lines = ["r_A,theta_deg,value"]
    for (ir, r) in map.radii.enumerated() {
      for (it, t) in map.angles.enumerated() {
        lines.append(
          "\(csvNumber(r)),\(csvNumber(t * 180 / Double.pi)),\(csvNumber(map.values[ir][it]))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One SVG with a half-disc panel per filter plus the average, sharing one diverging
  /// colour scale (symmetric about 0), with dashed reference circles at `shells` (Å).
  public static func svg(
    _ maps: [FilterMap], average: FilterMap, shells: [Double], title: String
  ) -> String {
    let panels = maps + [average]
    let columns = min(3, panels.count)
    let rows = (panels.count + columns - 1) / columns
    let panelW = 300.0
    let panelH = 190.0
    let width = Double(columns) * panelW + 110
    let height = Double(rows) * panelH + 60
    var svg = SVG(width: width, height: height)
    svg.text(width / 2, 24, title, size: 15, anchor: "middle", bold: true)
    let scale = max(panels.flatMap { $0.values.flatMap { $0 } }.map(abs).max() ?? 1, 1e-300)
    for (p, m) in panels.enumerated() {
      let ox = 20 + Double(p % columns) * panelW
      let oy = 50 + Double(p / columns) * panelH
      let circles = shells.enumerated().map { k, s in
        ShellCircle(radius: s, color: "black", dash: k == 0 ? "5,3" : "2,3")
      }
      drawPanel(
        &svg, m, left: ox, top: oy, width: panelW, radius: 125, scale: scale, shells: circles)
    }
    drawColorBar(
      &svg, x: width - 75, y: 70, width: 18, height: 260, lo: -scale, hi: scale, label: "value (Å)",
      color: { ColorMap.diverging($0 / scale) })
    if !shells.isEmpty {
      svg.text(width - 80, 360, "- - 1st shell", size: 10)
      svg.text(width - 80, 374, "··· 2nd shell", size: 10)
      svg.text(width - 80, 392, "r in Å", size: 10)
    }
    return svg.render()
  }
}

/// The filter maps of several elements in one figure (`snnp inspect filters --all-elements`,
/// the paper's Fig. C1): a file with shared filters has one set of maps, drawn once with
/// every element's neighbour shells; an element-resolved file has one set per element
/// (its f and El-El g), each with that element's shells.
public struct MultiElementFilterMaps {
  /// One element's, or the shared filters', maps.
  public struct Block {
    /// Row label, e.g. "Mo" or "shared by Ge, Mo, Si".
    public var label: String
    /// Element indices whose filters these are (all of them for shared filters).
    public var elements: [Int]
    /// The maps of every three-body filter.
    public var maps: [FilterMap]
    /// Their cell-wise mean.
    public var average: FilterMap
    /// Reference circles drawn on every panel of the block.
    public var shells: [FilterMaps.ShellCircle]
  }

  /// A reference crystal for the shells of one element.
  public struct Crystal: Equatable, Sendable {
    /// Lattice.
    public var lattice: Lattice
    /// Cubic lattice constant (Å).
    public var a: Double
    /// Creates a crystal.
    public init(lattice: Lattice, a: Double) {
      self.lattice = lattice
      self.a = a
    }

    /// Parses `El=lattice:a`, e.g. `Cu=fcc:3.63`.
    ///
    /// - Throws: ``InspectError`` naming what was expected.
    public static func parse(_ text: String) throws -> (element: String, crystal: Crystal) {
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      let rest = parts.count == 2 ? parts[1].split(separator: ":").map(String.init) : []
      guard parts.count == 2, rest.count == 2, let lattice = Lattice(rawValue: rest[0]),
        let a = Double(rest[1]), a > 0
      else {
        throw InspectError(
          "--crystal \(text): expected El=lattice:a with lattice one of \(Lattice.allCases.map(\.rawValue).joined(separator: ", ")) and a > 0 in Å, e.g. Cu=fcc:3.63"
        )
      }
      return (parts[0], Crystal(lattice: lattice, a: a))
    }
  }

  /// DFT ground states of the mlearn elements that carry one in their data (Zuo et al.
  /// 2020): the lattice constants of python/snnp/elements.py. Cu and Ni have no
  /// ground-state frame; give them with `--crystal`.
  public static let groundStates: [String: Crystal] = [
    "Mo": Crystal(lattice: .bcc, a: 3.1676), "Li": Crystal(lattice: .bcc, a: 3.4268),
    "Si": Crystal(lattice: .diamond, a: 5.4687), "Ge": Crystal(lattice: .diamond, a: 5.7542),
  ]

  /// The blocks of `potential`, shells from `crystals` (elements without one get none).
  /// The radius runs over [rkMin, min(rkMax, the element's f cutoff)] (Å).
  ///
  /// - Throws: ``InspectError`` as ``FilterMaps/maps(_:element:rMin:rMax:rkMin:rkMax:radialCells:angularCells:file:)``.
  public static func blocks(
    _ potential: Potential, crystals: [String: Crystal], rkMin: Double, rkMax: Double,
    radialCells: Int = 40,
    angularCells: Int = 48, file: String = "potential"
  ) throws -> [Block] {
    func shells(_ c: Int) -> [FilterMaps.ShellCircle] {
      guard let x = crystals[potential.elements[c]] else { return [] }
      let d = x.lattice.neighborDistances(a: x.a)
      return [
        FilterMaps.ShellCircle(radius: d[0], color: ColorMap.categorical(c), dash: "5,3"),
        FilterMaps.ShellCircle(radius: d[1], color: ColorMap.categorical(c), dash: "2,3"),
      ]
    }
    func block(_ c: Int, label: String, elements: [Int]) throws -> Block {
      let rMax = min(
        rkMax, potential.f.isEmpty ? rkMax : potential.f[potential.fBankIndex(c)].cutoff)
      let maps = try FilterMaps.maps(
        potential, element: c, rMin: rkMin, rMax: rMax, rkMin: rkMin, rkMax: rkMax,
        radialCells: radialCells,
        angularCells: angularCells, file: file)
      return Block(
        label: label, elements: elements, maps: maps, average: FilterMaps.average(maps),
        shells: elements.flatMap(shells))
    }
    if potential.sharedFilters || potential.elementCount == 1 {
      let all = Array(0..<potential.elementCount)
      let label =
        potential.elementCount == 1
        ? potential.elements[0] : "shared by \(potential.elements.joined(separator: ", "))"
      return [try block(0, label: label, elements: all)]
    }
    return try (0..<potential.elementCount).map {
      try block($0, label: potential.elements[$0], elements: [$0])
    }
  }

  /// One SVG: per block a label and its panels (filters then average) in rows of
  /// `columns`, a legend of the shells; colours on each panel's own ±max |M|
  /// (`perPanelScale`, printed on the panel) or on one scale for all panels.
  public static func svg(
    _ blocks: [Block], elements: [String], crystals: [String: Crystal], title: String,
    columns: Int = 7,
    perPanelScale: Bool = true
  ) -> String {
    let panelW = 190.0
    let R = 80.0
    let panelH = R + 62
    let perBlock = (blocks.first?.maps.count ?? 0) + 1
    let cols = max(1, min(columns, perBlock))
    let rowsPerBlock = (perBlock + cols - 1) / cols
    let blockH = 26 + Double(rowsPerBlock) * panelH
    let width = Double(cols) * panelW + 200
    let height = 50 + Double(blocks.count) * blockH + 20
    var svg = SVG(width: width, height: max(height, 420))
    svg.text(width / 2, 24, title, size: 15, anchor: "middle", bold: true)
    let common = max(
      blocks.flatMap { $0.maps + [$0.average] }.flatMap { $0.values.flatMap { $0 } }.map(abs).max()
        ?? 1, 1e-300)
    for (b, block) in blocks.enumerated() {
      let top = 50 + Double(b) * blockH
      svg.text(20, top + 14, block.label, size: 14, bold: true)
      for (p, m) in (block.maps + [block.average]).enumerated() {
        let own = max(m.values.flatMap { $0 }.map(abs).max() ?? 0, 1e-300)
        let left = 10 + Double(p % cols) * panelW
        let panelTop = top + 40 + Double(p / cols) * panelH
        FilterMaps.drawPanel(
          &svg, m, left: left, top: panelTop, width: panelW, radius: R,
          scale: perPanelScale ? own : common,
          shells: block.shells, labelSize: 10)
        if perPanelScale {
          svg.text(
            left + panelW / 2 - 10, panelTop + R + 43, "max |M| = \(tickLabel(own)) Å", size: 9,
            anchor: "middle", color: "#444")
        }
      }
    }
    let x = Double(cols) * panelW + 40
    if perPanelScale {
      drawColorBar(
        &svg, x: x + 20, y: 70, width: 18, height: 220, lo: -1, hi: 1,
        label: "M / max |M| of the panel",
        color: ColorMap.diverging)
    } else {
      drawColorBar(
        &svg, x: x + 20, y: 70, width: 18, height: 220, lo: -common, hi: common, label: "value (Å)",
        color: { ColorMap.diverging($0 / common) })
    }
    var y = 330.0
    for (c, el) in elements.enumerated() {
      guard let k = crystals[el] else { continue }
      svg.line(x, y - 4, x + 22, y - 4, stroke: ColorMap.categorical(c), width: 1.5, dash: "5,3")
      svg.text(x + 28, y, "\(el) \(k.lattice.rawValue) \(tickLabel(k.a)) Å", size: 11)
      y += 16
    }
    if y > 330 { svg.text(x, y + 4, "- - 1st, ··· 2nd shell", size: 10) }
    return svg.render()
  }
}
