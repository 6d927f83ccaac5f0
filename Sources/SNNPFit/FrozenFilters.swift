import SNNPCore
import SNNPFormat
import SNNPTraining

/// `freeze_filters`: fitting new elements on the filters of an existing shared-filter
/// potential. The source's f, g and ρ banks are copied into the initial model bit for
/// bit and their parameters get no gradient, so they leave the fit unchanged.
public enum FrozenFilters {
  /// Reads the source file of `config.freezeFilters` and checks it against `config`.
  /// - Throws: ``FitError`` for an unreadable file, an element-resolved file, other
  ///   filter counts or cutoffs, or radial splines that are not pinned at their cutoff.
  public static func source(for config: FitConfiguration) throws -> Potential {
    guard let path = config.freezeFilters else {
      throw FitError("freeze_filters: no source file given")
    }
    let p: Potential
    do { p = try PotentialFile.read(path: path).potential } catch {
      throw FitError("freeze_filters: cannot read the source potential: \(error)")
    }
    if let problem = mismatch(p, config) { throw FitError("freeze_filters \(path): \(problem)") }
    return p
  }

  /// Describes why `p` cannot lend its filters to a fit with `config`, or nil.
  static func mismatch(_ p: Potential, _ c: FitConfiguration) -> String? {
    guard p.sharedFilters else {
      return
        "the file is element resolved (one filter bank per element); frozen filters need a shared-filter file (one fitted with shared_filters: true)"
    }
    if p.threeBodyCount != c.threeBody || p.twoBodyCount != c.twoBody {
      return
        "the file has N3 = \(p.threeBodyCount) three-body and N2 = \(p.twoBodyCount) two-body filters, the configuration N3 = \(c.threeBody) and N2 = \(c.twoBody) (set three_body and two_body to match)"
    }
    if p.threeBodyBasis != c.basis {
      let form = { (b: ThreeBodyBasis?) in
        b.map { "the tensor form [\($0.radial), \($0.angular)]" } ?? "the product form"
      }
      return
        "the file's three-body filters have \(form(p.threeBodyBasis)), the configuration's \(form(c.basis)) (set three_body_basis to match)"
    }
    if let f = p.f.first, f.cutoff != c.effectiveThreeBodyCutoff {
      return
        "the file's three-body filters end at \(f.cutoff) Å, the configuration's at \(c.effectiveThreeBodyCutoff) Å (set three_body_cutoff, or cutoff, to \(f.cutoff))"
    }
    if let rho = p.rho.first, rho.cutoff != c.cutoff {
      return
        "the file's two-body filters end at \(rho.cutoff) Å, the configuration's cutoff is \(c.cutoff) Å (set cutoff to \(rho.cutoff))"
    }
    if p.twoBodyCount == 0, let f = p.f.first, c.cutoff != f.cutoff {
      return
        "the file's filters end at \(f.cutoff) Å, the configuration's cutoff is \(c.cutoff) Å (set cutoff to \(f.cutoff))"
    }
    for (role, bank) in [("f", p.f.first), ("rho", p.rho.first)] {
      guard let bank else { continue }
      for s in bank.splines
      where s.values.last != 0 || s.endSlope != 0 || bank.knots.last != bank.cutoff {
        return
          "its \(role) splines are not pinned to value and slope 0 at their cutoff, as fitted splines are"
      }
    }
    return nil
  }

  /// `template` with the filter banks of `source` (and its sharing mode).
  public static func apply(_ source: Potential, to template: Potential) -> Potential {
    var p = template
    p.sharedFilters = true
    p.f = source.f
    p.g = source.g
    p.rho = source.rho
    return p
  }

  /// The θ indices of every f, g and ρ parameter of `layout`: those a frozen-filter fit holds fixed.
  public static func frozenIndices(_ layout: ParameterLayout) -> [Int] {
    layout.banks.filter { $0.role != .pair }.flatMap {
      Array($0.offset..<($0.offset + $0.parameterCount))
    }
  }
}
