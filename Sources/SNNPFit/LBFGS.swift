/// Limited-memory BFGS (Nocedal 1980) with a backtracking Armijo line search, for
/// full-batch fits: deterministic and able to drive a smooth loss to round-off,
/// which mini-batch AMSGrad cannot (used by the exact-retrieval test and for
/// polishing a model).
public struct LBFGS: Codable, Equatable, Sendable {
  /// Number of (s, y) pairs kept.
  public var memory = 10
  var s: [[Double]] = []
  var y: [[Double]] = []
  /// Iterations taken.
  public var iterations = 0

  /// An empty history.
  public init() {}

  /// The search direction −H·g from the two-loop recursion.
  func direction(_ g: [Double]) -> [Double] {
    var q = g
    var alphas = [Double](repeating: 0, count: s.count)
    for k in stride(from: s.count - 1, through: 0, by: -1) {
      let rho = 1 / dot(y[k], s[k])
      alphas[k] = rho * dot(s[k], q)
      for i in q.indices { q[i] -= alphas[k] * y[k][i] }
    }
    if let sl = s.last, let yl = y.last {
      let gamma = dot(sl, yl) / dot(yl, yl)
      for i in q.indices { q[i] *= gamma }
    }
    for k in 0..<s.count {
      let rho = 1 / dot(y[k], s[k])
      let beta = rho * dot(y[k], q)
      for i in q.indices { q[i] += s[k][i] * (alphas[k] - beta) }
    }
    return q.map { -$0 }
  }

  /// One iteration: moves `theta` along the L-BFGS direction with a step that
  /// satisfies the Armijo condition. `evaluate` returns loss and gradient.
  /// - Returns: the new loss and gradient, or nil when no decrease was found.
  public mutating func step(
    _ theta: inout [Double], loss: Double, gradient g: [Double], initialStep: Double,
    evaluate: ([Double]) -> (Double, [Double])
  ) -> (Double, [Double])? {
    var d = direction(g)
    var slope = dot(g, d)
    if !(slope < 0) {  // not a descent direction: restart from steepest descent
      s.removeAll()
      y.removeAll()
      d = g.map { -$0 }
      slope = dot(g, d)
    }
    var alpha = s.isEmpty ? initialStep / max(dot(g, g).squareRoot(), 1e-300) : 1.0
    for _ in 0..<40 {
      let trial = zip(theta, d).map { $0 + alpha * $1 }
      let (newLoss, newGradient) = evaluate(trial)
      if newLoss.isFinite && newLoss <= loss + 1e-4 * alpha * slope {
        let sk = zip(trial, theta).map { $0 - $1 }
        let yk = zip(newGradient, g).map { $0 - $1 }
        if dot(sk, yk) > 1e-12 * dot(yk, yk).squareRoot() * dot(sk, sk).squareRoot() {
          s.append(sk)
          y.append(yk)
          if s.count > memory {
            s.removeFirst()
            y.removeFirst()
          }
        }
        theta = trial
        iterations += 1
        return (newLoss, newGradient)
      }
      alpha *= 0.5
    }
    return nil
  }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
  var sum = 0.0
  for i in a.indices { sum += a[i] * b[i] }
  return sum
}

extension LBFGS {
  /// Why this history cannot drive `parameterCount` parameters, or nil.
  public func sizeProblem(parameterCount n: Int) -> String? {
    if let bad = (s + y).first(where: { $0.count != n }) {
      return
        "the L-BFGS history holds vectors of \(bad.count) values, but the model has \(n) parameters: the checkpoint is damaged or from another model"
    }
    if s.count != y.count {
      return "the L-BFGS history is inconsistent (\(s.count) steps, \(y.count) gradient changes)"
    }
    return nil
  }
}
