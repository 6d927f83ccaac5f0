/// AMSGrad (Reddi, Kale & Kumar 2018), the Adam variant with a running maximum of
/// the second moment, as PyTorch's `Adam(amsgrad=True)` implements it.
public struct AMSGrad: Codable, Equatable, Sendable {
  /// First-moment decay.
  public var beta1 = 0.9
  /// Second-moment decay.
  public var beta2 = 0.999
  /// Denominator guard.
  public var epsilon = 1e-8
  /// Steps taken.
  public var step = 0
  var m: [Double]
  var v: [Double]
  var vMax: [Double]

  /// A fresh optimizer for `count` parameters.
  public init(count: Int) {
    m = [Double](repeating: 0, count: count)
    v = m
    vMax = m
  }

  /// One update of `theta` with `gradient` at learning rate `lr`.
  public mutating func update(_ theta: inout [Double], gradient: [Double], lr: Double) {
    step += 1
    let c1 = 1 - pow(beta1, Double(step))
    let c2 = (1 - pow(beta2, Double(step))).squareRoot()
    for k in theta.indices {
      let g = gradient[k]
      m[k] = beta1 * m[k] + (1 - beta1) * g
      v[k] = beta2 * v[k] + (1 - beta2) * g * g
      vMax[k] = max(vMax[k], v[k])
      theta[k] -= lr / c1 * m[k] / (vMax[k].squareRoot() / c2 + epsilon)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension AMSGrad {
  /// Why this state cannot drive `parameterCount` parameters (a damaged or foreign
  /// checkpoint), or nil.
  public func sizeProblem(parameterCount n: Int) -> String? {
    for (name, a) in [("m", m), ("v", v), ("vMax", vMax)] where a.count != n {
      return
        "the optimizer's '\(name)' holds \(a.count) values, but the model has \(n) parameters: the checkpoint is damaged or from another model"
    }
    if step < 0 { return "the optimizer's step count is \(step), expected >= 0" }
    return nil
  }
}
