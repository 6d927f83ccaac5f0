#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Scratch for ``MLP/dualGradient(input:tangent:valueSeed:tangentSeed:parameterGradient:inputGradient:scratch:)``.
public final class MLPDualScratch {
  var h: [[Double]] = []
  var a: [[Double]] = []
  var hDot: [[Double]] = []
  var aDot: [[Double]] = []
  var barA: [Double] = []
  var barADot: [Double] = []
  var nextA: [Double] = []
  var nextADot: [Double] = []
  /// Empty scratch; sized on first use.
  public init() {}
}

extension MLP {
  /// Number of trainable numbers, in the order of ``parameterGradient``: per layer,
  /// the weights (row-major) then the biases if the layer has them.
  public var flatParameterCount: Int { parameterCount }

  /// Forward value z = N(x) and tangent ż = ∇N(x)·v, then one reverse sweep of the
  /// scalar Q = valueSeed · z + tangentSeed · ż through both (DESIGN.md §4):
  /// accumulates ∂Q/∂θ into `parameterGradient` and ∂Q/∂x into `inputGradient`.
  ///
  /// The fitter needs exactly this: with seeds A = e·s′ − s″·ż and B = −s′ it gives
  /// the network part of the energy-and-force loss gradient and of α = e·w − H·Ġ.
  /// - Returns: (z, ż).
  @discardableResult
  public func dualGradient(
    input x: UnsafePointer<Double>, tangent v: UnsafePointer<Double>, valueSeed: Double,
    tangentSeed: Double,
    parameterGradient: UnsafeMutablePointer<Double>?, inputGradient: UnsafeMutablePointer<Double>?,
    scratch s: MLPDualScratch
  ) -> (value: Double, tangent: Double) {
    let count = layers.count
    if s.h.count != count {
      s.h = layers.map { [Double](repeating: 0, count: $0.outputs) }
      s.a = s.h
      s.hDot = s.h
      s.aDot = s.h
      let width = layers.reduce(inputs) { max($0, $1.outputs) }
      s.barA = [Double](repeating: 0, count: width)
      s.barADot = s.barA
      s.nextA = s.barA
      s.nextADot = s.barA
    }
    // Forward with tangents.
    for l in 0..<count {
      let layer = layers[l]
      for o in 0..<layer.outputs {
        var hv = layer.biases?[o] ?? 0
        var hd = 0.0
        let row = o * layer.inputs
        for q in 0..<layer.inputs {
          let w = layer.weights[row + q]
          if l == 0 {
            hv += w * x[q]
            hd += w * v[q]
          } else {
            hv += w * s.a[l - 1][q]
            hd += w * s.aDot[l - 1][q]
          }
        }
        s.h[l][o] = hv
        s.hDot[l][o] = hd
        if layer.activation == .celu {
          let d = celuDerivative(hv)
          s.a[l][o] = celu(hv)
          s.aDot[l][o] = d * hd
        } else {
          s.a[l][o] = hv
          s.aDot[l][o] = hd
        }
      }
    }
    let z = s.a[count - 1][0]
    let zDot = s.aDot[count - 1][0]
    // Reverse: adjoints of activations (barA) and of their tangents (barADot).
    s.barA[0] = valueSeed
    s.barADot[0] = tangentSeed
    // Offsets of each layer's parameters.
    var offsets = [Int](repeating: 0, count: count)
    var total = 0
    for l in 0..<count {
      offsets[l] = total
      total += layers[l].weights.count + (layers[l].biases?.count ?? 0)
    }
    for l in stride(from: count - 1, through: 0, by: -1) {
      let layer = layers[l]
      // Through the activation: a = σ(h), ȧ = σ'(h) ḣ.
      for o in 0..<layer.outputs where layer.activation == .celu {
        let hv = s.h[l][o]
        let d1 = celuDerivative(hv)
        let d2 = hv > 0 ? 0.0 : exp(hv)
        let barH = s.barA[o] * d1 + s.barADot[o] * d2 * s.hDot[l][o]
        let barHDot = s.barADot[o] * d1
        s.barA[o] = barH
        s.barADot[o] = barHDot
      }
      // Through the affine map: h = W a + b, ḣ = W ȧ.
      for q in 0..<layer.inputs {
        s.nextA[q] = 0
        s.nextADot[q] = 0
      }
      let base = offsets[l]
      for o in 0..<layer.outputs {
        let bh = s.barA[o]
        let bhd = s.barADot[o]
        let row = o * layer.inputs
        for q in 0..<layer.inputs {
          let prevA = l == 0 ? x[q] : s.a[l - 1][q]
          let prevADot = l == 0 ? v[q] : s.aDot[l - 1][q]
          parameterGradient?[base + row + q] += bh * prevA + bhd * prevADot
          let w = layer.weights[row + q]
          s.nextA[q] += w * bh
          s.nextADot[q] += w * bhd
        }
        if layer.biases != nil { parameterGradient?[base + layer.weights.count + o] += bh }
      }
      swap(&s.barA, &s.nextA)
      swap(&s.barADot, &s.nextADot)
    }
    if let inputGradient { for q in 0..<inputs { inputGradient[q] += s.barA[q] } }
    return (z, zDot)
  }

  /// The flat parameter vector (per layer: weights, then biases).
  public var flatParameters: [Double] {
    get { layers.flatMap { $0.weights + ($0.biases ?? []) } }
    set {
      var k = 0
      for l in layers.indices {
        let nw = layers[l].weights.count
        layers[l].weights = Array(newValue[k..<(k + nw)])
        k += nw
        if let b = layers[l].biases {
          layers[l].biases = Array(newValue[k..<(k + b.count)])
          k += b.count
        }
      }
    }
  }

  /// Mask of the flat parameters that are weights (1) rather than biases (0), for L2.
  public var weightMask: [Double] {
    layers.flatMap {
      [Double](repeating: 1, count: $0.weights.count)
        + [Double](repeating: 0, count: $0.biases?.count ?? 0)
    }
  }
}
