import Foundation
import SNNPFormat

/// A fit setting with a fixed set of named values (`variant`, `optimizer`): read from JSON
/// and from flags through ``init(choosing:)``, the one place that rejects an unknown name
/// and suggests the nearest valid one.
public protocol FitChoice: RawRepresentable, CaseIterable, Codable, Sendable,
  CustomStringConvertible
where RawValue == String {
  /// The setting's key in the configuration file, as error messages name it.
  static var settingName: String { get }
}

extension FitChoice {
  /// The value's name, as written in the configuration file.
  public var description: String { rawValue }

  /// The value called `name`.
  /// - Throws: ``FitError`` "variant 'int_all' is not one of int-all, int-skip, network,
  ///   linear (did you mean 'int-all'?)".
  public init(choosing name: String) throws {
    if let value = Self(rawValue: name) {
      self = value
      return
    }
    let names = Self.allCases.map(\.rawValue)
    var m = "\(Self.settingName) '\(name)' is not one of \(names.joined(separator: ", "))"
    if let s = nearest(name, in: names) { m += " (did you mean '\(s)'?)" }
    throw FitError(m)
  }

  /// Decodes the name through ``init(choosing:)``, so a configuration file gets the same message.
  public init(from decoder: Decoder) throws {
    try self.init(choosing: try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rawValue)
  }
}

/// The model variants of the paper's Table 1 that `snnp fit` trains.
public enum FitVariant: String, FitChoice {
  /// Network with a skip connection, softplus output and a pair term; no network biases.
  case intAll = "int-all"
  /// Network with a skip connection.
  case intSkip = "int-skip"
  /// Network alone.
  case network
  /// The filters' weighted sum (no network).
  case linear

  public static let settingName = "variant"
}

/// The optimizer of the `epochs` (before any `polish_epochs` of L-BFGS).
public enum FitOptimizer: String, FitChoice {
  /// Mini-batch AMSGrad with learning-rate milestones.
  case amsgrad
  /// Full-batch L-BFGS.
  case lbfgs
  /// The exact minimum of the loss in one solve, for models whose loss is quadratic in
  /// the trained parameters: the filters held at their start (`filter_start cardinal` or
  /// `freeze_filters`), one linear layer (`hidden []`), no softplus (``LeastSquares``).
  case leastSquares = "least_squares"

  public static let settingName = "optimizer"
}

/// Which part of the reference stress the loss fits.
public enum StressLoss: String, FitChoice {
  /// All nine components.
  case full
  /// The traceless part only (σ − tr σ/3 · 1): for data whose pressure carries a constant
  /// offset the energies do not (a Pulay stress from an incomplete plane-wave basis), the
  /// shear and anisotropic parts stay in the loss and the energies alone set the volume.
  case deviatoric

  public static let settingName = "stress_loss"
}

/// How the product form's three-body filters start a fit.
public enum FilterStart: String, FitChoice {
  /// Every radial spline the same decaying shape at a random amplitude, every angular
  /// spline a random quadratic in cos θ (the paper's start).
  case smooth
  /// Distinct shapes: radial bumps centred across [radial_min, cutoff) and Legendre
  /// orders P_0..P_3 in cos θ, so the filters start far from collinear.
  case spread
  /// The tensor form's splines as the cardinal basis of their knot grids: radial spline a
  /// has parameter a (start slope, then the knot values) 1 and every other 0, and so on
  /// for the angular splines (start slope, end slope, knot values) and ρ. The filters are
  /// then a basis of all spline functions of (r_ij, r_ik, cos θ_jik) and r_ij on those
  /// grids, and one linear layer on them is a linear 2+3-body spline potential; with
  /// `optimizer least_squares` it is fitted exactly.
  case cardinal

  public static let settingName = "filter_start"
}
