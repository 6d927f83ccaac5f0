import Foundation
import SNNPCore
import SNNPFormat

/// Edits of a potential that switch parts of the model off, for ablation studies
/// (which filters does an element's network rely on; how much does the network add
/// to the linear s-NNP).
public enum PotentialEdit {
  /// Zeroes the first-layer weights of element `element`'s network that multiply the
  /// filters `filters` (1-based over (G3[1..N3], G2[1..N2])), so its network no longer
  /// sees them. The skip connection Σ G_i, the pair term and the other elements are
  /// unchanged.
  ///
  /// - Throws: ``InspectError`` (naming `file`) if the element is unknown, has no
  ///   network regressor, or a filter number is outside 1…N3+N2.
  public static func removeFilters(
    _ potential: Potential, element: String, filters: [Int], file: String = "potential"
  ) throws -> Potential {
    guard let c = potential.elements.firstIndex(of: element) else {
      throw InspectError(
        "\(file): no element '\(element)' (expected one of \(potential.elements.joined(separator: ", ")))"
      )
    }
    let heads = potential.regressors[c].networks
    guard !heads.isEmpty else {
      throw InspectError(
        "\(file): element \(element) has no network regressor (expected 'regressor \(element) network')"
      )
    }
    let nf = potential.filterCount
    for a in filters where a < 1 || a > nf {
      throw InspectError(
        "\(file): filter \(a) out of range (expected 1…\(nf): 1…\(potential.threeBodyCount) three-body, then two-body\(potential.fourBodyCount > 0 ? ", then four-body" : ""))"
      )
    }
    // Every head of a committee loses the same inputs.
    let edited = heads.map { head -> MLP in
      var net = head
      var first = net.layers[0]
      for o in 0..<first.outputs {
        for a in filters { first.weights[o * first.inputs + (a - 1)] = 0 }
      }
      net.layers[0] = first
      return net
    }
    var p = potential
    p.regressors[c] = .networks(edited)
    return p
  }

  /// The linear part of the model: every regressor set to `.none` (E_i = b + ½ Σ (φ + core) +
  /// [skip] Σ G_i); the splines, skip connection, pair term, core and biases are kept.
  public static func linearOnly(_ potential: Potential) -> Potential {
    var p = potential
    p.regressors = Array(repeating: .none, count: p.elementCount)
    return p
  }

  /// Parses a filter list such as "1,3" or "2-4,7" (1-based) into sorted distinct numbers.
  ///
  /// - Throws: ``InspectError`` if an entry is not a positive integer or range.
  public static func parseFilterList(_ text: String) throws -> [Int] {
    var out = Set<Int>()
    for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
    where !part.isEmpty {
      let ends = part.split(separator: "-").map(String.init)
      guard (1...2).contains(ends.count), let lo = Int(ends[0]), let hi = Int(ends.last!), lo >= 1,
        hi >= lo
      else {
        throw InspectError(
          "--remove-filters: '\(part)' is not a filter number or range (expected e.g. 1,3 or 2-4)")
      }
      for a in lo...hi { out.insert(a) }
    }
    if out.isEmpty { throw InspectError("--remove-filters: empty list (expected e.g. 1,3)") }
    return out.sorted()
  }

  /// Returns `file` with `potential` and one more `meta edit <description>` line.
  public static func recording(
    _ file: PotentialFile, _ potential: Potential, description: String
  ) -> PotentialFile {
    var out = file
    out.potential = potential
    out.metadata.append(.init(key: "edit", value: description))
    out.date = PotentialFile.today()
    return out
  }
}
