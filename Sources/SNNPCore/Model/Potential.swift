/// What maps an atom's filter vector G_i to the non-linear part of its energy.
public enum Regressor: Equatable, Sendable {
  /// No regressor: the "linear" (classical) model, E_i = Σ G_i + b.
  case none
  /// A network per centre element: E_i gets N(G_i) (softplus(N(G_i)) when the
  /// potential's `softplusOutput` is set).
  case network(MLP)
  /// A cubic-spline embedding U of the summed filters, E_i gets U(Σ G_i) − U(0):
  /// s-MEAM / LAMMPS `meam/spline`, for which an isolated atom has zero energy.
  case embedding(CubicSpline)
  /// A committee of K ≥ 2 network heads on the same filters: E_i gets the mean over
  /// heads of N_k(G_i) (each head wrapped in softplus when `softplusOutput` is set);
  /// the heads' spread is the per-atom uncertainty σ_i.
  case committee([MLP])

  /// The networks of this regressor: one for `.network`, K for `.committee`, none otherwise.
  public var networks: [MLP] {
    switch self {
    case .network(let net): return [net]
    case .committee(let nets): return nets
    case .none, .embedding: return []
    }
  }

  /// `.network` for one head, `.committee` for several.
  public static func networks(_ nets: [MLP]) -> Regressor {
    precondition(!nets.isEmpty)
    return nets.count == 1 ? .network(nets[0]) : .committee(nets)
  }
}

/// The tensor-product form of the three-body filters: A radial splines f_a per
/// neighbour element and C angular splines g_c per neighbour pair, combined as
///
///     G3[(a,b,c)]_i = ½ Σ_{j≠k} f[a](r_ij) f[b](r_ik) g[c](cos θ_jik),   a ≤ b,
///
/// A(A+1)/2 · C filters from A + C splines. Each spline is evaluated once per pair or
/// triplet and shared by many filters; the paper's product form is the diagonal a = b
/// with one g per f. Filter (a, b, c) has index `pairIndex(a, b) · C + c`.
public struct ThreeBodyBasis: Equatable, Sendable {
  /// Number of radial splines A (per f bank).
  public let radial: Int
  /// Number of angular splines C (per g bank).
  public let angular: Int

  /// Creates a basis of `radial` f and `angular` g splines (both ≥ 1).
  public init(radial: Int, angular: Int) {
    precondition(radial >= 1 && angular >= 1)
    self.radial = radial
    self.angular = angular
  }

  /// Number of three-body filters N3 = A(A+1)/2 · C.
  public var filterCount: Int { radial * (radial + 1) / 2 * angular }

  /// Filter index of (a, b, c); (a, b) and (b, a) are the same filter.
  @inline(__always) public func filter(_ a: Int, _ b: Int, _ c: Int) -> Int {
    Potential.pairIndex(a, b, elementCount: radial) * angular + c
  }

  /// Spreads per-filter values v (N3 of them, e.g. w = ∂E/∂G3) over both orders of the
  /// radial pair: out[(a·A + b)·stride + c] = out[(b·A + a)·stride + c] = v_m on the
  /// diagonal and v_m / 2 off it, so that Σ_m v_m G_m = ½ Σ_{j≠k} Σ_abc out_abc f_a f_b g_c.
  /// Lanes c ≥ C of each row are left as they are.
  @inline(__always)
  package func spread(
    _ v: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, stride: Int
  ) {
    var m = 0
    for a in 0..<radial {
      for b in a..<radial {
        let s = a == b ? 1.0 : 0.5
        for c in 0..<angular {
          out[(a * radial + b) * stride + c] = s * v[m]
          out[(b * radial + a) * stride + c] = s * v[m]
          m += 1
        }
      }
    }
  }

  /// The radial pair (a ≤ b) and angular index c of filter `m`.
  public func components(_ m: Int) -> (a: Int, b: Int, c: Int) {
    let pair = m / angular
    var k = 0
    for a in 0..<radial {
      for b in a..<radial {
        if k == pair { return (a, b, m % angular) }
        k += 1
      }
    }
    preconditionFailure("filter index out of range")
  }
}

/// An s-NNP potential (Vita & Trinkle): spline filters plus a regressor per element.
///
/// For atom i of element c_i with neighbours j, k within the cutoff:
///
///     G3[a]_i = Σ_{j<k} f[a]_{c_j}(r_ij) f[a]_{c_k}(r_ik) g[a]_{c_j c_k}(cos θ_jik)
///               (or the tensor-product form, ``ThreeBodyBasis``)
///     G2[b]_i = Σ_j ρ[b]_{c_j}(r_ij)
///     G4[2a]_i = m_a · M_a · m_a,  G4[2a+1]_i = tr(M_a M_a M_a)   (optional four-body
///               moment filters, ``fourBodySplines``), with m_a = Σ_j h[a]_{c_j}(r_ij) û_ij
///               and M_a = Σ_j h[a]_{c_j}(r_ij) (û_ij û_ijᵀ − I/3)
///     E_i     = b_{c_i} + ½ Σ_j [φ_{c_i c_j}(r_ij) + Z_{c_i c_j}(r_ij)] + [skip] Σ G_i + R_{c_i}(G_i)
///
/// with Z the optional fixed ZBL core repulsion (``CoreRepulsion``).
///
/// Every model of the paper's Table 1 is a choice of `skipConnection`,
/// `softplusOutput`, the presence of `pair`, the regressors and network biases.
/// Units: Å and eV (LAMMPS `metal`).
public struct Potential: Equatable, Sendable {
  /// Element symbols; element index c refers to this order.
  public var elements: [String]
  /// Number of three-body filters N3.
  public var threeBodyCount: Int
  /// Number of two-body filters N2.
  public var twoBodyCount: Int
  /// Filter-sharing mode (the paper's cross-system model): one f bank, one g bank and
  /// one ρ bank serve every element (species-independent filters), while networks,
  /// biases, the pair term and the core stay per element (pair). When false (the
  /// default, "element-resolved") filters are indexed by neighbour chemistry.
  public var sharedFilters: Bool
  /// f[a]_{c_j}: one bank of N3 radial splines per neighbour element (empty when N3 = 0);
  /// a single bank for all elements when `sharedFilters` (see ``fBankIndex(_:)``).
  public var f: [SplineBank]
  /// g[a]_{c_j c_k}: one bank of N3 angular splines on cos θ per unordered element pair;
  /// a single bank when `sharedFilters` (see ``gBankIndex(_:_:)``).
  public var g: [SplineBank]
  /// ρ[b]_{c_j}: one bank of N2 radial splines per neighbour element (empty when N2 = 0);
  /// a single bank when `sharedFilters` (see ``rhoBankIndex(_:)``).
  public var rho: [SplineBank]
  /// φ_{c_i c_j}: the pair term, one single-spline bank per unordered pair; nil for none.
  public var pair: [SplineBank]?
  /// One regressor per centre element.
  public var regressors: [Regressor]
  /// Adds Σ G_i to the atomic energy (the skip connection of "int. skip"/"int. all").
  public var skipConnection: Bool
  /// Wraps the network output in softplus (the "int. all" model).
  public var softplusOutput: Bool
  /// Isolated-atom energy b_c per element (eV).
  public var bias: [Double]
  /// Fixed ZBL repulsion between close atoms, or nil for none.
  public var core: CoreRepulsion?
  /// What the fitter saw in filter space (for the extrapolation grade), or nil.
  public var domain: TrainingDomain?
  /// The tensor-product three-body form (f banks hold A splines, g banks C), or nil
  /// for the paper's product form (one f and one g per filter).
  public var threeBodyBasis: ThreeBodyBasis?
  /// Number A of four-body radial splines h[a] per neighbour element (0: no four-body
  /// filters). Each makes two filters, m_a·M_a·m_a and tr(M_a³), appended after G2:
  /// the lowest-order rotation invariants that couple three neighbours of one atom,
  /// which no sum over pairs and triplets contains (DESIGN.md; docs/potential-format.md).
  public var fourBodySplines: Int
  /// h[a]_{c_j}: one bank of A radial splines per neighbour element (empty when A = 0);
  /// a single bank with shared filters (see ``hBankIndex(_:)``).
  public var h: [SplineBank]

  /// Creates a potential and checks that every array has the size its element count implies.
  public init(
    elements: [String], threeBodyCount: Int, twoBodyCount: Int, f: [SplineBank], g: [SplineBank],
    rho: [SplineBank], pair: [SplineBank]?, regressors: [Regressor], skipConnection: Bool,
    softplusOutput: Bool, bias: [Double], core: CoreRepulsion? = nil, domain: TrainingDomain? = nil,
    sharedFilters: Bool = false, threeBodyBasis: ThreeBodyBasis? = nil, fourBodySplines: Int = 0,
    h: [SplineBank] = []
  ) {
    self.fourBodySplines = fourBodySplines
    self.h = h
    self.sharedFilters = sharedFilters
    self.threeBodyBasis = threeBodyBasis
    self.elements = elements
    self.threeBodyCount = threeBodyCount
    self.twoBodyCount = twoBodyCount
    self.f = f
    self.g = g
    self.rho = rho
    self.pair = pair
    self.regressors = regressors
    self.skipConnection = skipConnection
    self.softplusOutput = softplusOutput
    self.bias = bias
    self.core = core
    self.domain = domain
    if let problem = validationProblem() { preconditionFailure(problem) }
  }

  /// Number of elements.
  public var elementCount: Int { elements.count }
  /// Length of the filter vector G_i = (G3, G2, G4).
  public var filterCount: Int { threeBodyCount + twoBodyCount + fourBodyCount }
  /// Number of four-body filters N4 = 2A.
  public var fourBodyCount: Int { 2 * fourBodySplines }
  /// Number of network heads per element: K for a committee, 1 otherwise.
  public var headCount: Int { regressors.map { max(1, $0.networks.count) }.max() ?? 1 }
  /// Number of unordered element pairs.
  public var pairCount: Int { elementCount * (elementCount + 1) / 2 }

  /// Index of the unordered pair {a, b} in `g` and `pair` (the order of LAMMPS
  /// `meam/spline`: (0,0), (0,1), …, (0,n−1), (1,1), …).
  @inline(__always)
  public static func pairIndex(_ a: Int, _ b: Int, elementCount n: Int) -> Int {
    let (i, j) = a <= b ? (a, b) : (b, a)
    return i * (2 * n - i - 1) / 2 + j
  }

  /// The element pair of pair index `index`.
  public func elementPair(_ index: Int) -> (Int, Int) {
    for i in 0..<elementCount {
      for j in i..<elementCount where Potential.pairIndex(i, j, elementCount: elementCount) == index
      {
        return (i, j)
      }
    }
    preconditionFailure("pair index out of range")
  }

  /// Number of f banks (and of ρ banks when N2 > 0): 1 with shared filters, else one
  /// per element.
  public var radialFilterBankCount: Int { sharedFilters ? 1 : elementCount }
  /// Number of g banks when N3 > 0: 1 with shared filters, else one per unordered pair.
  public var angularFilterBankCount: Int { sharedFilters ? 1 : pairCount }

  /// Index in `f` of the bank used for neighbours of element `c`.
  @inline(__always) public func fBankIndex(_ c: Int) -> Int { sharedFilters ? 0 : c }
  /// Index in `rho` of the bank used for neighbours of element `c`.
  @inline(__always) public func rhoBankIndex(_ c: Int) -> Int { sharedFilters ? 0 : c }
  /// Index in `h` of the bank used for neighbours of element `c`.
  @inline(__always) public func hBankIndex(_ c: Int) -> Int { sharedFilters ? 0 : c }
  /// Index in `g` of the bank used for a neighbour pair of elements (a, b).
  @inline(__always) public func gBankIndex(_ a: Int, _ b: Int) -> Int {
    sharedFilters ? 0 : Potential.pairIndex(a, b, elementCount: elementCount)
  }

  /// Largest distance (Å) at which any spline contributes: the potential's cutoff.
  public var cutoff: Double {
    var c = 0.0
    for b in f { c = max(c, b.cutoff) }
    for b in rho { c = max(c, b.cutoff) }
    for b in h { c = max(c, b.cutoff) }
    for b in pair ?? [] { c = max(c, b.cutoff) }
    return c
  }

  /// Describes the first inconsistency between the arrays and the element and
  /// filter counts, or returns nil when the potential is well formed.
  public func validationProblem() -> String? {
    let n = elementCount
    if n < 1 { return "a potential needs at least one element" }
    if Set(elements).count != n { return "element names must be distinct" }
    if threeBodyCount < 0 || twoBodyCount < 0 { return "filter counts must be >= 0" }
    let nr = radialFilterBankCount
    let ng = angularFilterBankCount
    if f.count != (threeBodyCount > 0 ? nr : 0) {
      return "expected \(threeBodyCount > 0 ? nr : 0) f banks, found \(f.count)"
    }
    if g.count != (threeBodyCount > 0 ? ng : 0) {
      return "expected \(threeBodyCount > 0 ? ng : 0) g banks, found \(g.count)"
    }
    if rho.count != (twoBodyCount > 0 ? nr : 0) {
      return "expected \(twoBodyCount > 0 ? nr : 0) rho banks, found \(rho.count)"
    }
    if let basis = threeBodyBasis, basis.filterCount != threeBodyCount {
      return
        "a three-body basis of \(basis.radial) radial and \(basis.angular) angular splines makes \(basis.filterCount) filters, not \(threeBodyCount)"
    }
    let fSplines = threeBodyBasis?.radial ?? threeBodyCount
    let gSplines = threeBodyBasis?.angular ?? threeBodyCount
    for b in f where b.count != fSplines {
      return "each f bank needs \(fSplines) splines, found \(b.count)"
    }
    for b in g where b.count != gSplines {
      return "each g bank needs \(gSplines) splines, found \(b.count)"
    }
    for b in rho where b.count != twoBodyCount {
      return "each rho bank needs \(twoBodyCount) splines, found \(b.count)"
    }
    if fourBodySplines < 0 { return "the four-body spline count must be >= 0" }
    if h.count != (fourBodySplines > 0 ? nr : 0) {
      return "expected \(fourBodySplines > 0 ? nr : 0) h banks, found \(h.count)"
    }
    for b in h where b.count != fourBodySplines {
      return "each h bank needs \(fourBodySplines) splines, found \(b.count)"
    }
    if let p = pair {
      if p.count != pairCount { return "expected \(pairCount) pair banks, found \(p.count)" }
      for b in p where b.count != 1 { return "each pair bank holds one spline, found \(b.count)" }
    }
    if regressors.count != n { return "expected \(n) regressors, found \(regressors.count)" }
    for r in regressors {
      for net in r.networks where net.inputs != filterCount {
        return "network has \(net.inputs) inputs but the potential has \(filterCount) filters"
      }
      if case .committee(let nets) = r, nets.count != headCount {
        return "every element's committee needs \(headCount) heads, found \(nets.count)"
      }
    }
    if headCount > 1, regressors.contains(where: { $0.networks.count != headCount }) {
      return "a committee potential needs \(headCount) network heads for every element"
    }
    if bias.count != n { return "expected \(n) biases, found \(bias.count)" }
    if !(cutoff > 0) || !cutoff.isFinite { return "the cutoff must be positive and finite" }
    if let core {
      if let problem = core.validationProblem(elementCount: n) { return problem }
      if core.outer > cutoff {
        return "the core's outer distance \(core.outer) exceeds the cutoff \(cutoff)"
      }
    }
    if let domain, let problem = domain.validationProblem(elementCount: n, filterCount: filterCount)
    {
      return problem
    }
    return nil
  }
}
