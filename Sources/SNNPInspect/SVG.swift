import Foundation

/// A minimal SVG writer: shapes and text in pixel coordinates (y grows downwards),
/// rendered as one self-contained SVG 1.1 document. Used by every inspection tool.
public struct SVG {
  /// Canvas width (pixels).
  public let width: Double
  /// Canvas height (pixels).
  public let height: Double
  var body: [String] = []

  /// An empty white canvas of `width` × `height` pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
    body.append(
      "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"white\"/>")
  }

  /// A rectangle with top-left corner (x, y) (pixels).
  public mutating func rect(
    x: Double, y: Double, width w: Double, height h: Double, fill: String, stroke: String? = nil,
    strokeWidth: Double = 1
  ) {
    body.append(
      "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\"\(strokeAttr(stroke, strokeWidth))/>"
    )
  }

  /// A straight line (pixels); `dash` is an SVG dash pattern such as "4,3".
  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "black",
    width: Double = 1,
    dash: String? = nil
  ) {
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append(
      "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)/>"
    )
  }

  /// An open polyline through `points` (pixels).
  public mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil
  ) {
    guard !points.isEmpty else { return }
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    let p = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
    body.append(
      "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(d)/>"
    )
  }

  /// A filled polygon through `points` (pixels).
  public mutating func polygon(
    _ points: [(Double, Double)], fill: String, stroke: String? = nil, strokeWidth: Double = 0.5
  ) {
    let p = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
    body.append(
      "<polygon points=\"\(p)\" fill=\"\(fill)\"\(strokeAttr(stroke ?? fill, strokeWidth))/>")
  }

  /// A circle of radius `r` (pixels) centred at (cx, cy).
  public mutating func circle(
    _ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
    strokeWidth: Double = 1,
    opacity: Double = 1
  ) {
    let o = opacity < 1 ? " fill-opacity=\"\(n(opacity))\"" : ""
    body.append(
      "<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(r))\" fill=\"\(fill)\"\(o)\(strokeAttr(stroke, strokeWidth))/>"
    )
  }

  /// Text at (x, y) (pixels, baseline); `anchor` is start, middle or end; `rotate` in degrees.
  public mutating func text(
    _ x: Double, _ y: Double, _ s: String, size: Double = 12, anchor: String = "start",
    rotate: Double = 0,
    color: String = "black", bold: Bool = false
  ) {
    let r = rotate != 0 ? " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" : ""
    let b = bold ? " font-weight=\"bold\"" : ""
    body.append(
      "<text x=\"\(n(x))\" y=\"\(n(y))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\" fill=\"\(color)\"\(b)\(r)>\(escaped(s))</text>"
    )
  }

  /// The SVG document.
  public func render() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\">\n"
      + body.joined(separator: "\n") + "\n</svg>\n"
  }

  func strokeAttr(_ stroke: String?, _ w: Double) -> String {
    stroke.map { " stroke=\"\($0)\" stroke-width=\"\(n(w))\"" } ?? ""
  }

  func escaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }

  /// Pixel coordinate with two decimals.
  func n(_ v: Double) -> String { String(format: "%.2f", v) }
}

/// A rectangular plot area mapping data coordinates to pixels, with axes, ticks and labels.
public struct PlotArea {
  /// Left edge of the plot area (pixels).
  public var left: Double
  /// Top edge of the plot area (pixels).
  public var top: Double
  /// Width of the plot area (pixels).
  public var width: Double
  /// Height of the plot area (pixels).
  public var height: Double
  /// Data range along x (data units).
  public var xRange: ClosedRange<Double>
  /// Data range along y (data units).
  public var yRange: ClosedRange<Double>

  /// Creates a plot area; degenerate ranges are widened so that the mapping is defined.
  public init(
    left: Double, top: Double, width: Double, height: Double, x: ClosedRange<Double>,
    y: ClosedRange<Double>
  ) {
    self.left = left
    self.top = top
    self.width = width
    self.height = height
    xRange = PlotArea.widened(x)
    yRange = PlotArea.widened(y)
  }

  static func widened(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
    if r.upperBound > r.lowerBound { return r }
    let d = max(abs(r.lowerBound) * 0.05, 1e-12)
    return (r.lowerBound - d)...(r.upperBound + d)
  }

  /// Pixel x of data x.
  public func px(_ x: Double) -> Double {
    left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width
  }
  /// Pixel y of data y.
  public func py(_ y: Double) -> Double {
    top + height - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
  }

  /// Draws the frame, ticks with numbers, axis labels and the title.
  public func drawAxes(_ svg: inout SVG, xLabel: String, yLabel: String, title: String? = nil) {
    svg.rect(
      x: left, y: top, width: width, height: height, fill: "none", stroke: "black", strokeWidth: 1)
    for t in niceTicks(xRange.lowerBound, xRange.upperBound) {
      let x = px(t)
      svg.line(x, top + height, x, top + height + 5)
      svg.line(x, top, x, top + height, stroke: "#e6e6e6", width: 0.7)
      svg.text(x, top + height + 18, tickLabel(t), size: 11, anchor: "middle")
    }
    for t in niceTicks(yRange.lowerBound, yRange.upperBound) {
      let y = py(t)
      svg.line(left - 5, y, left, y)
      svg.line(left, y, left + width, y, stroke: "#e6e6e6", width: 0.7)
      svg.text(left - 8, y + 4, tickLabel(t), size: 11, anchor: "end")
    }
    svg.text(left + width / 2, top + height + 38, xLabel, size: 13, anchor: "middle")
    svg.text(left - 52, top + height / 2, yLabel, size: 13, anchor: "middle", rotate: -90)
    if let title {
      svg.text(left + width / 2, top - 10, title, size: 14, anchor: "middle", bold: true)
    }
  }
}

/// About `count` round tick positions (1, 2, 2.5 or 5 × 10^k steps) inside [lo, hi].
public func niceTicks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
  guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
  let raw = (hi - lo) / Double(max(count, 2))
  let mag = pow(10, floor(log10(raw)))
  let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
  var t = ceil(lo / step - 1e-9) * step
  var out: [Double] = []
  while t <= hi + 1e-9 * step {
    out.append(abs(t) < 1e-12 * step ? 0 : t)
    t += step
  }
  return out
}

/// A short tick label (%g with up to 4 significant digits).
public func tickLabel(_ v: Double) -> String { String(format: "%.4g", v) }

/// Colour maps (CSS colour strings).
public enum ColorMap {
  /// Diverging blue–white–red map: t = −1 → blue, 0 → white, +1 → red (t is clamped).
  public static func diverging(_ t: Double) -> String {
    let u = max(-1, min(1, t.isFinite ? t : 0))
    let blue = (33.0, 102.0, 172.0)
    let red = (178.0, 24.0, 43.0)
    let white = (247.0, 247.0, 247.0)
    let (c, s) = u < 0 ? (blue, -u) : (red, u)
    func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * s).rounded()) }
    return rgb(mix(white.0, c.0), mix(white.1, c.1), mix(white.2, c.2))
  }

  /// Sequential white-to-dark-red map for t ∈ [0, 1] (clamped).
  public static func sequential(_ t: Double) -> String {
    let u = max(0, min(1, t.isFinite ? t : 0))
    return rgb(Int(255 - 152 * u), Int(245 - 245 * u), Int(240 - 227 * u))
  }

  /// The k-th colour of a 10-colour categorical palette (Tableau 10).
  public static func categorical(_ k: Int) -> String {
    let p = [
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
      "#9c755f", "#bab0ac",
    ]
    return p[((k % p.count) + p.count) % p.count]
  }

  static func rgb(_ r: Int, _ g: Int, _ b: Int) -> String {
    String(format: "#%02x%02x%02x", max(0, min(255, r)), max(0, min(255, g)), max(0, min(255, b)))
  }
}

/// Draws a vertical colour bar at (x, y) of `width` × `height` pixels for values in
/// [lo, hi] (data units) coloured by `color` (which takes the value), with ticks and `label`.
public func drawColorBar(
  _ svg: inout SVG, x: Double, y: Double, width: Double, height: Double, lo: Double, hi: Double,
  label: String,
  color: (Double) -> String
) {
  let steps = 64
  for s in 0..<steps {
    let v = lo + (hi - lo) * (Double(s) + 0.5) / Double(steps)
    let top = y + height - Double(s + 1) * height / Double(steps)
    svg.rect(x: x, y: top, width: width, height: height / Double(steps) + 0.3, fill: color(v))
  }
  svg.rect(x: x, y: y, width: width, height: height, fill: "none", stroke: "black")
  if hi > lo {
    for t in niceTicks(lo, hi, count: 5) {
      let ty = y + height - (t - lo) / (hi - lo) * height
      svg.line(x + width, ty, x + width + 4, ty)
      svg.text(x + width + 7, ty + 4, tickLabel(t), size: 10)
    }
  }
  svg.text(x + width / 2, y - 8, label, size: 11, anchor: "middle")
}

/// Errors of the inspection tools; the message names the file and what was expected.
public struct InspectError: Error, CustomStringConvertible, Equatable {
  /// What is wrong.
  public let description: String
  /// Creates an error with `description`.
  public init(_ description: String) { self.description = description }
}

/// Writes `text` to `directory/name`, creating the directory if needed.
public func writeOutput(_ text: String, directory: String, name: String) throws {
  do {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try text.write(
      toFile: (directory as NSString).appendingPathComponent(name), atomically: true,
      encoding: .utf8)
  } catch {
    throw InspectError(
      "\(directory)/\(name): cannot write output (expected a writable directory): \(error.localizedDescription)"
    )
  }
}

/// A CSV number: the shortest decimal that parses back to the same double.
public func csvNumber(_ v: Double) -> String { "\(v)" }
