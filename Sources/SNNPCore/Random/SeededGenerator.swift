/// Deterministic random numbers (SplitMix64): the same seed gives the same
/// sequence on every platform, which fits and tests rely on.
public struct SeededGenerator: RandomNumberGenerator {
  /// The generator state (save it to resume a sequence).
  public var state: UInt64
  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }
  /// Next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [a, b).
  public mutating func uniform(_ a: Double, _ b: Double) -> Double {
    Double.random(in: a..<b, using: &self)
  }
}
