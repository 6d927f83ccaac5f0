import SNNPCore

/// The trainable numbers of a potential as one flat vector θ, and the way back.
///
/// Order: every spline of the f banks, g banks, ρ banks, h banks and pair banks (in that
/// order, banks by element or pair index, splines by filter), then each element's
/// network (per layer: weights, then biases), then the per-element biases.
/// Radial splines (f, ρ, h, φ) are pinned to value 0 and slope 0 at their last knot,
/// so they contribute K numbers each (y_0 … y_{K−2} and the start slope); angular
/// splines contribute all K + 2.
public struct ParameterLayout: Sendable {
  /// The potential whose structure (elements, knots, layer sizes, flags) θ fills in.
  public let template: Potential
  /// Length of θ.
  public let count: Int

  public struct BankSlot: Sendable {
    /// Which spline family.
    public let role: Role
    /// Element or pair index of the bank.
    public let index: Int
    /// Offset of the bank's first parameter in θ.
    public let offset: Int
    let knotCount: Int
    let splineCount: Int
    let pinned: Bool
    /// Unit-parameter spline coefficients, `[parameter][interval]`.
    let basis: [[SIMD4<Double>]]
    var perSpline: Int { pinned ? knotCount : knotCount + 2 }
    /// Number of the bank's parameters in θ (from `offset` on).
    public var parameterCount: Int { perSpline * splineCount }
  }

  /// Spline families.
  public enum Role: Hashable, Sendable { case f, g, rho, h, pair }

  /// Where each bank's parameters sit in θ.
  public let banks: [BankSlot]
  /// Offset of each element's network parameters (nil when it has no network); for a
  /// committee, of its first head.
  public let networkOffsets: [Int?]
  /// Offsets of every network head of each element (K per element for a committee).
  public let headOffsets: [[Int]]
  /// Offset of the per-element biases.
  public let biasOffset: Int

  /// Builds the layout of `template`, whose radial splines must be pinned.
  public init(template: Potential) {
    self.template = template
    var slots: [BankSlot] = []
    var offset = 0
    func add(_ role: Role, _ banks: [SplineBank], pinned: Bool) {
      for (k, bank) in banks.enumerated() {
        let knots = bank.knots
        let basis = (0..<(knots.count + 2)).map { p -> [SIMD4<Double>] in
          var params = [Double](repeating: 0, count: knots.count + 2)
          params[p] = 1
          var s = CubicSpline(
            knots: knots, values: [Double](repeating: 0, count: knots.count), startSlope: 0,
            endSlope: 0)
          s.parameters = params
          return s.coefficients()
        }
        let slot = BankSlot(
          role: role, index: k, offset: offset, knotCount: knots.count, splineCount: bank.count,
          pinned: pinned,
          basis: basis)
        slots.append(slot)
        offset += slot.perSpline * bank.count
      }
    }
    add(.f, template.f, pinned: true)
    add(.g, template.g, pinned: false)
    add(.rho, template.rho, pinned: true)
    add(.h, template.h, pinned: true)
    add(.pair, template.pair ?? [], pinned: true)
    banks = slots
    var heads: [[Int]] = []
    for r in template.regressors {
      var offsets: [Int] = []
      for net in r.networks {
        offsets.append(offset)
        offset += net.parameterCount
      }
      heads.append(offsets)
    }
    headOffsets = heads
    networkOffsets = heads.map(\.first)
    biasOffset = offset
    count = offset + template.elementCount
  }

  func bank(_ slot: BankSlot, in p: Potential) -> SplineBank {
    switch slot.role {
    case .f: return p.f[slot.index]
    case .g: return p.g[slot.index]
    case .rho: return p.rho[slot.index]
    case .h: return p.h[slot.index]
    case .pair: return p.pair![slot.index]
    }
  }

  /// Free parameter indices of a spline (into its K + 2 parameters).
  func freeIndices(_ slot: BankSlot) -> [Int] {
    slot.pinned
      ? Array(0..<(slot.knotCount - 1)) + [slot.knotCount] : Array(0..<(slot.knotCount + 2))
  }

  /// θ of `potential` (which must have the template's structure).
  public func parameters(of potential: Potential) -> [Double] {
    var theta = [Double](repeating: 0, count: count)
    for slot in banks {
      let b = bank(slot, in: potential)
      let free = freeIndices(slot)
      for (s, spline) in b.splines.enumerated() {
        let params = spline.parameters
        for (q, p) in free.enumerated() { theta[slot.offset + s * slot.perSpline + q] = params[p] }
      }
    }
    for (c, r) in potential.regressors.enumerated() {
      for (net, o) in zip(r.networks, headOffsets[c]) {
        for (k, v) in net.flatParameters.enumerated() { theta[o + k] = v }
      }
    }
    for c in 0..<potential.elementCount { theta[biasOffset + c] = potential.bias[c] }
    return theta
  }

  /// The potential with θ filled into the template.
  public func potential(from theta: [Double]) -> Potential {
    precondition(theta.count == count)
    var p = template
    for slot in banks {
      var b = bank(slot, in: p)
      let free = freeIndices(slot)
      for s in 0..<slot.splineCount {
        var spline = b.splines[s]
        var params = [Double](repeating: 0, count: slot.knotCount + 2)
        for (q, idx) in free.enumerated() {
          params[idx] = theta[slot.offset + s * slot.perSpline + q]
        }
        spline.parameters = params
        b.setSpline(s, spline)
      }
      switch slot.role {
      case .f: p.f[slot.index] = b
      case .g: p.g[slot.index] = b
      case .rho: p.rho[slot.index] = b
      case .h: p.h[slot.index] = b
      case .pair: p.pair![slot.index] = b
      }
    }
    for c in 0..<p.elementCount {
      let heads = p.regressors[c].networks
      if !heads.isEmpty {
        p.regressors[c] = .networks(
          zip(heads, headOffsets[c]).map { head, o in
            var net = head
            net.flatParameters = Array(theta[o..<(o + net.parameterCount)])
            return net
          })
      }
      p.bias[c] = theta[biasOffset + c]
    }
    return p
  }

  /// 1 for network weights (which get the L2 penalty), 0 elsewhere.
  public var weightMask: [Double] {
    var mask = [Double](repeating: 0, count: count)
    for (c, r) in template.regressors.enumerated() {
      for (net, o) in zip(r.networks, headOffsets[c]) {
        for (k, m) in net.weightMask.enumerated() { mask[o + k] = m }
      }
    }
    return mask
  }

  /// Number of spline parameters and of network parameters.
  public var splineParameterCount: Int { networkOffsets.compactMap { $0 }.first ?? biasOffset }
  /// Number of network parameters.
  public var networkParameterCount: Int { biasOffset - splineParameterCount }

  /// The template with only network head `k` of every element: the single-head model
  /// the fitter trains as one member of a committee.
  public func headTemplate(_ k: Int) -> Potential {
    var p = template
    p.regressors = p.regressors.map { r in
      let nets = r.networks
      return nets.count > 1 ? .network(nets[k]) : r
    }
    return p
  }

  /// For head `k`: the index in θ of each parameter of ``headTemplate(_:)``'s layout
  /// (splines and biases shared, the head's own networks).
  public func headIndices(_ k: Int) -> [Int] {
    let single = ParameterLayout(template: headTemplate(k))
    var map = Array(0..<single.count)
    for c in 0..<template.elementCount {
      if let o = single.networkOffsets[c] {
        let n = template.regressors[c].networks[0].parameterCount
        for q in 0..<n { map[o + q] = headOffsets[c][k] + q }
      }
    }
    for c in 0..<template.elementCount { map[single.biasOffset + c] = biasOffset + c }
    return map
  }

  /// Maps a gradient with respect to a bank's evaluation table (per-interval
  /// coefficients, then left and right extrapolation value/slope per spline) to
  /// the bank's free parameters: θ̄ = Mᵀ c̄ for the linear map c = M θ.
  func addParameterGradient(
    _ slot: BankSlot, coefficients g: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
  ) {
    let m = slot.splineCount
    let intervals = slot.knotCount - 1
    let left = intervals * 4 * m
    let right = left + 2 * m
    let free = freeIndices(slot)
    for s in 0..<m {
      for (q, p) in free.enumerated() {
        var sum = 0.0
        let basis = slot.basis[p]
        for k in 0..<intervals {
          let c = basis[k]
          let base = k * 4 * m + s
          sum +=
            g[base] * c[0] + g[base + m] * c[1] + g[base + 2 * m] * c[2] + g[base + 3 * m] * c[3]
        }
        if p == 0 { sum += g[left + 2 * s] }
        if p == slot.knotCount { sum += g[left + 2 * s + 1] }
        if p == slot.knotCount - 1 { sum += g[right + 2 * s] }
        if p == slot.knotCount + 1 { sum += g[right + 2 * s + 1] }
        out[slot.offset + s * slot.perSpline + q] += sum
      }
    }
  }
}
