/// Activation of a dense layer.
public enum Activation: String, Sendable, CaseIterable {
  /// Identity (used on the output layer).
  case linear
  /// CELU with α = 1: x for x > 0, exp(x) − 1 otherwise (Barron 2017).
  case celu
}

/// One dense layer y = act(W x + b).
public struct DenseLayer: Equatable, Sendable {
  /// Number of inputs.
  public let inputs: Int
  /// Number of outputs.
  public let outputs: Int
  /// Weights, row-major `[output][input]`.
  public var weights: [Double]
  /// Biases, one per output; `nil` for a layer without internal biases.
  public var biases: [Double]?
  /// The activation applied after the affine map.
  public var activation: Activation

  /// Creates a layer; `weights.count` must be `inputs * outputs`.
  public init(
    inputs: Int, outputs: Int, weights: [Double], biases: [Double]?, activation: Activation
  ) {
    precondition(weights.count == inputs * outputs)
    precondition(biases == nil || biases!.count == outputs)
    self.inputs = inputs
    self.outputs = outputs
    self.weights = weights
    self.biases = biases
    self.activation = activation
  }
}

/// A multilayer perceptron mapping the filter vector G_i of one atom to a scalar
/// (eV): hidden layers with CELU, a linear output layer with one output.
public struct MLP: Equatable, Sendable {
  /// The layers, input first.
  public var layers: [DenseLayer]

  /// Creates a network; consecutive layers must chain and the last must have one output.
  public init(layers: [DenseLayer]) {
    precondition(!layers.isEmpty && layers.last!.outputs == 1)
    for (a, b) in zip(layers, layers.dropFirst()) { precondition(a.outputs == b.inputs) }
    self.layers = layers
  }

  /// Number of inputs.
  public var inputs: Int { layers[0].inputs }
  /// Total number of weights and biases.
  public var parameterCount: Int {
    layers.reduce(0) { $0 + $1.weights.count + ($1.biases?.count ?? 0) }
  }
  /// Largest layer width (for scratch sizing).
  var maxWidth: Int { layers.reduce(inputs) { max($0, $1.outputs) } }

  /// Network output and its gradient with respect to the input (reference path).
  public func valueAndGradient(_ x: [Double]) -> (value: Double, gradient: [Double]) {
    let net = CompiledMLP(self)
    var g = [Double](repeating: 0, count: inputs)
    let v = x.withUnsafeBufferPointer { xp in
      g.withUnsafeMutableBufferPointer { gp in
        net.evaluate(xp.baseAddress!, gradient: gp.baseAddress!)
      }
    }
    return (v, g)
  }
}

@inline(__always) func celu(_ x: Double) -> Double { x > 0 ? x : expm1(x) }
@inline(__always) func celuDerivative(_ x: Double) -> Double { x > 0 ? 1 : exp(x) }

/// An ``MLP`` flattened for the kernel, with its own scratch (one per thread).
final class CompiledMLP {
  let net: MLP
  /// Pre-activations and activations of every layer, concatenated.
  var pre: [[Double]]
  var act: [[Double]]
  var back: [Double]
  var backNext: [Double]

  init(_ net: MLP) {
    self.net = net
    pre = net.layers.map { [Double](repeating: 0, count: $0.outputs) }
    act = pre
    back = [Double](repeating: 0, count: net.maxWidth)
    backNext = back
  }

  /// Forward pass and gradient of the output with respect to the input `x`.
  func evaluate(_ x: UnsafePointer<Double>, gradient: UnsafeMutablePointer<Double>) -> Double {
    let layers = net.layers
    for l in 0..<layers.count {
      let layer = layers[l]
      let nIn = layer.inputs
      layer.weights.withUnsafeBufferPointer { w in
        act[l - 1 < 0 ? 0 : l - 1].withUnsafeBufferPointer { prevAct in
          let input: UnsafePointer<Double> = l == 0 ? x : prevAct.baseAddress!
          for o in 0..<layer.outputs {
            var s = layer.biases?[o] ?? 0
            let row = w.baseAddress! + o * nIn
            for q in 0..<nIn { s += row[q] * input[q] }
            pre[l][o] = s
          }
        }
      }
      for o in 0..<layer.outputs {
        act[l][o] = layer.activation == .celu ? celu(pre[l][o]) : pre[l][o]
      }
    }
    let value = act[layers.count - 1][0]
    // Backward: d out / d act of the last layer is 1.
    back[0] = 1
    for l in stride(from: layers.count - 1, through: 0, by: -1) {
      let layer = layers[l]
      for o in 0..<layer.outputs where layer.activation == .celu {
        back[o] *= celuDerivative(pre[l][o])
      }
      for q in 0..<layer.inputs { backNext[q] = 0 }
      layer.weights.withUnsafeBufferPointer { w in
        for o in 0..<layer.outputs {
          let row = w.baseAddress! + o * layer.inputs
          let bo = back[o]
          for q in 0..<layer.inputs { backNext[q] += bo * row[q] }
        }
      }
      swap(&back, &backNext)
    }
    for q in 0..<net.inputs { gradient[q] = back[q] }
    return value
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
