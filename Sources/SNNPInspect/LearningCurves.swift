import SNNPData
import SNNPFormat

/// Learning curves from a fitter's `log.csv` (columns of `Trainer.logHeader`):
/// training and validation energy and force MAE against epoch.
public struct LearningCurves: Equatable, Sendable {
  /// Epoch numbers.
  public var epochs: [Double] = []
  /// Columns by name (empty cells, e.g. epochs without validation, are NaN).
  public var columns: [String: [Double]] = [:]

  /// Parses log.csv text; `file` names it in errors.
  /// - Throws: ``InspectError`` naming the file and line.
  public static func parse(_ text: String, file: String) throws -> LearningCurves {
    let lines = text.split(separator: "\n").map(String.init)
    guard
      let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(
        String.init),
      header.first == "epoch"
    else { throw InspectError("\(file):1: expected the snnp fit log header starting with 'epoch'") }
    for needed in ["train_e_mae", "train_f_mae", "val_e_mae", "val_f_mae"]
    where !header.contains(needed) {
      throw InspectError("\(file):1: missing column '\(needed)'")
    }
    var curves = LearningCurves()
    for name in header { curves.columns[name] = [] }
    for (k, line) in lines.dropFirst().enumerated() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      guard cells.count == header.count else {
        throw InspectError(
          "\(file):\(k + 2): expected \(header.count) columns, found \(cells.count)")
      }
      for (name, cell) in zip(header, cells) {
        if cell.isEmpty {
          curves.columns[name]!.append(.nan)
        } else if let v = Double(cell) {
          curves.columns[name]!.append(v)
        } else {
          throw InspectError(
            "\(file):\(k + 2): expected a number in column '\(name)', found '\(cell)'")
        }
      }
    }
    curves.epochs = curves.columns["epoch"] ?? []
    return curves
  }

  /// Two panels (energy MAE in meV/atom, force MAE in eV/Å) on logarithmic axes.
  public func svg(title: String) -> String {
    var svg = SVG(width: 1000, height: 430)
    svg.text(500, 24, title, size: 15, anchor: "middle", bold: true)
    let x = (epochs.first ?? 0)...max(epochs.last ?? 1, (epochs.first ?? 0) + 1)
    func panel(
      _ left: Double, _ names: [(String, String)], _ scale: Double, _ label: String,
      _ heading: String
    ) {
      let series = names.map { ($0.1, (columns[$0.0] ?? []).map { $0 * scale }) }
      let positive = series.flatMap(\.1).filter { $0 > 0 && $0.isFinite }
      let lo = log10(positive.min() ?? 1e-3)
      let hi = log10(positive.max() ?? 1)
      let area = PlotArea(
        left: left, top: 50, width: 380, height: 310, x: x,
        y: (lo - 0.05)...(max(hi, lo + 0.1) + 0.05))
      area.drawAxes(&svg, xLabel: "epoch", yLabel: "log10 " + label, title: heading)
      for (k, (name, ys)) in series.enumerated() {
        let pts = zip(epochs, ys).filter { $0.1 > 0 && $0.1.isFinite }.map {
          (area.px($0.0), area.py(log10($0.1)))
        }
        svg.polyline(pts, stroke: ColorMap.categorical(k), width: 1.6)
        svg.text(
          area.left + area.width - 10, area.top + 16 + 15 * Double(k), name, size: 12,
          anchor: "end", color: ColorMap.categorical(k))
      }
    }
    panel(
      70, [("train_e_mae", "training"), ("val_e_mae", "validation")], 1000, "energy MAE (meV/atom)",
      "energy")
    panel(
      560, [("train_f_mae", "training"), ("val_f_mae", "validation")], 1, "force MAE (eV/Å)",
      "forces")
    return svg.render()
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
