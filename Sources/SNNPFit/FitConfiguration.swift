import Foundation
import SNNPCore
import SNNPFormat

/// Everything `snnp fit` needs, read from a JSON file (keys below) and/or flags.
/// Defaults follow Vita & Trinkle's recipe: loss = 10 × energy MSE (per atom) +
/// 1 × force MSE, L2 0.01 on network weights, AMSGrad with lr 1e-3 and MultiStepLR.
public struct FitConfiguration: Codable, Equatable, Sendable {
  /// Training data: extended-XYZ files.
  public var train: [String] = []
  /// Optional validation file; without it a seeded random split of `train` is used.
  public var validation: String? = nil
  /// Fraction of the training frames held out for validation when no file is given.
  public var validationFraction: Double = 0.1
  /// Elements of the model; default: every element found in the data, sorted.
  public var elements: [String]? = nil
  /// Model variant: "int-all", "int-skip", "network" or "linear".
  public var variant: FitVariant = .intAll
  /// Number of three-body filters N3 (with `threeBodyBasis`: A(A+1)/2 · C).
  public var threeBody: Int = 8
  /// Tensor-product three-body filters `[A, C]`: A radial and C angular splines make
  /// N3 = A(A+1)/2 · C filters (docs/potential-format.md); nil: the product form.
  public var threeBodyBasis: [Int]? = nil
  /// The three-body basis in effect, or nil for the product form.
  public var basis: ThreeBodyBasis? {
    guard let b = threeBodyBasis, b.count == 2, b[0] >= 1, b[1] >= 1 else { return nil }
    return ThreeBodyBasis(radial: b[0], angular: b[1])
  }
  /// Number of two-body filters N2.
  public var twoBody: Int = 1
  /// Knots of each radial spline (f, ρ).
  public var radialKnots: Int = 10
  /// Knots of each angular spline g.
  public var angularKnots: Int = 8
  /// Start of the radial knot grid (Å); splines extrapolate linearly below it.
  public var radialMin: Double = 1.5
  /// Filter cutoff r_c (Å): of the two-body filters, and of the three-body filters
  /// unless `threeBodyCutoff` is set.
  public var cutoff: Double = 5.2
  /// Cutoff of the three-body filters f (Å), at most `cutoff`; nil: `cutoff`. The
  /// triplet loop, the kernel's cost, grows as the sixth power of this radius
  /// (4.0 instead of 5.2 Å: about 5x fewer triplets), while two-body filters keep
  /// the long range.
  public var threeBodyCutoff: Double? = nil
  /// The three-body filters' cutoff in effect (Å).
  public var effectiveThreeBodyCutoff: Double { threeBodyCutoff ?? cutoff }
  /// Number A of four-body radial splines h (0: none): each adds the moment filters
  /// m_a·M_a·m_a and tr(M_a³) (docs/potential-format.md), on the three-body cutoff.
  public var fourBody: Int = 0
  /// Outer cutoff of the short-range pair term (Å), int-all only.
  public var pairCutoff: Double = 2.5
  /// Knots of the pair-term spline.
  public var pairKnots: Int = 6
  /// Whether the model has the short-range pair term (default: only "int-all").
  public var pairTerm: Bool? = nil
  /// Hidden layer sizes of each element's network.
  public var hidden: [Int] = [8, 4, 2]
  /// Weight of the energy MSE ((eV/atom)²).
  public var energyWeight: Double = 10
  /// Weight of the force MSE ((eV/Å)²).
  public var forceWeight: Double = 1
  /// Weight of the stress MSE ((eV/Å³)², all 9 components), for frames with `stress=`;
  /// 0 turns the term off.
  public var stressWeight: Double = 0
  /// Which part of the stress `stress_weight` fits: `full` (default) or `deviatoric`
  /// (traceless part only; for data with a constant Pulay pressure, docs/fitting.md).
  public var stressLoss: StressLoss = .full
  /// The product form's starting filters: `smooth` (default, one shape at random
  /// amplitudes) or `spread` (distinct radial bumps and angular orders).
  public var filterStart: FilterStart = .smooth
  /// L2 penalty λ·ΣW² on network weights (not biases, not splines). Default 0: with
  /// this loss (means per atom and per force component) the paper's 0.01 drives the
  /// network weights to zero (measured in docs/fitting.md); best.ckpt is chosen on
  /// validation instead.
  public var l2: Double = 0
  /// "amsgrad" (mini-batches, the paper's recipe) or "lbfgs" (full batch, one
  /// iteration per epoch; `learning_rate` sets the length of its first step).
  public var optimizer: FitOptimizer = .amsgrad
  /// Initial learning rate of AMSGrad.
  public var learningRate: Double = 1e-3
  /// Epochs at which the learning rate is multiplied by `gamma` (MultiStepLR).
  public var milestones: [Int]? = nil
  /// Learning-rate factor at each milestone.
  public var gamma: Double = 0.1
  /// Number of epochs.
  public var epochs: Int = 300
  /// Full-batch L-BFGS iterations (one per epoch) run after the `epochs` of
  /// `optimizer`, starting from the best parameters on validation so far. Mini-batch
  /// AMSGrad stalls in its noise floor; L-BFGS on the whole training set keeps going
  /// down (measured in docs/fitting.md). 0: none.
  public var polishEpochs: Int = 0
  /// Number of network heads K trained on the one set of filters (a committee): the
  /// potential's energy is their mean and their spread the per-atom uncertainty σ_i
  /// (docs/uncertainty.md). Each head gets its own initialisation and its own loss;
  /// the heads share the passes through the filters, so K = 4 fits at about 1.5 times
  /// one head. 1: an ordinary single-network model.
  public var committee: Int = 1
  /// With a committee: each head's loss counts the training frames of its own bootstrap
  /// resample (frames drawn with replacement, as many as there are, from `seed`), so the
  /// heads disagree most where the data are thin. Default false: every head sees every frame.
  public var bootstrap: Bool = false
  /// Filter-sharing mode (the paper's cross-system model): one set of f, g and ρ
  /// splines for every element, one network and bias per element; pair terms stay
  /// per element pair. Default false: filters indexed by neighbour element.
  public var sharedFilters: Bool = false
  /// A shared-filter `.snnp` file whose f, g and ρ splines are copied exactly and
  /// held fixed: only the networks, biases and pair terms of the data's elements are
  /// trained (new elements on frozen filters). Implies `sharedFilters`; the file must
  /// have this configuration's cutoffs and filter counts. nil: train the filters.
  public var freezeFilters: String? = nil
  /// Whether the model shares its filters across elements (`shared_filters`, or implied
  /// by `freeze_filters`).
  public var usesSharedFilters: Bool { sharedFilters || freezeFilters != nil }
  /// Whether the f, g and ρ splines keep their start values: copied from `freeze_filters`,
  /// or held for `optimizer least_squares` (whose loss is quadratic only in the rest).
  public var holdsFiltersFixed: Bool { freezeFilters != nil || optimizer == .leastSquares }
  /// Configurations per mini-batch.
  public var batchSize: Int = 8
  /// Worker threads (default: all cores).
  public var threads: Int? = nil
  /// Random seed: initial parameters, batch order and, unless `splitSeed` is set, the split.
  public var seed: UInt64 = 1
  /// Seed of the validation split alone (default: `seed`). Fixing it while `seed`
  /// varies restarts a fit from other initial parameters and batch orders on the same
  /// validation frames, so restarts can be compared and chosen among on validation.
  public var splitSeed: UInt64? = nil
  /// Split by `config_type`: each group contributes its share of the validation frames
  /// (largest remainders), so a 10 % split of 11 surface frames holds one instead of
  /// whatever the shuffle gives (a plain random split held none of Ge's, whose validation
  /// error then flattered the model; docs/results.md). Default false: a plain shuffle.
  public var stratifySplit: Bool = false
  /// Loss weight per config_type (default 1).
  public var configTypeWeights: [String: Double] = [:]
  /// Isolated-atom energies (eV): the bias of each listed element is pinned so that a
  /// lone atom has this energy, instead of being fitted (variants linear and int-all).
  /// The data hold condensed structures only, so a fitted bias is just an energy offset
  /// and may lie below the crystal: the model's gas would then be more stable than its
  /// solid. Pinning it at E(ground state) + E_coh (experiment) makes the filters carry
  /// the cohesion, and atoms bind.
  public var isolatedAtomEnergies: [String: Double] = [:]
  /// `[inner, outer]` (Å): add the fixed ZBL core repulsion of LAMMPS `pair_style zbl
  /// inner outer` to the model (see ``CoreRepulsion``); nil for none. The data never
  /// hold atoms much closer than ~1.9 Å, so without it nothing keeps atoms apart in a
  /// hot liquid; put `outer` near the data's closest approach (`snnp fit` prints it).
  public var coreRepulsion: [Double]? = nil
  /// Output directory: log.csv, last.ckpt, best.ckpt.
  public var output: String = "runs/fit"
  /// Evaluate the validation set every this many epochs.
  public var validateEvery: Int = 1

  /// Defaults.
  public init() {}

  /// Reads the keys of ``settings`` (each through its one declaration there).
  public init(from decoder: Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: SettingKey.self)
    for setting in Self.settings where c.contains(SettingKey(setting.key)) {
      try setting.decode(c, SettingKey(setting.key), &self)
    }
    // Without three_body, a tensor basis sets N3.
    if !c.contains(SettingKey("three_body")), let basis { threeBody = basis.filterCount }
  }

  /// Writes every setting under its key (checkpoints record the configuration so).
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: SettingKey.self)
    for setting in Self.settings { try setting.encode(self, &c, SettingKey(setting.key)) }
  }

  /// All valid keys of the JSON file.
  public static var keys: [String] { settings.map(\.key) }

  /// Reads a configuration file, rejecting unknown keys with the nearest valid one.
  /// - Throws: ``FitError`` naming the file and the problem.
  public static func read(path: String) throws -> FitConfiguration {
    let text = try TextFile.read(path)
    let data = Data(text.utf8)
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
      throw FitError("\(path): not valid JSON: \(error.localizedDescription)")
    }
    guard let dict = object as? [String: Any] else {
      throw FitError("\(path): expected a JSON object at the top level")
    }
    for key in dict.keys.sorted() where !keys.contains(key) {
      var m = "\(path): unknown key '\(key)'"
      if let s = nearest(key, in: keys) { m += " (did you mean '\(s)'?)" }
      throw FitError(m + "; valid keys: " + keys.sorted().joined(separator: ", "))
    }
    // Integer settings: say which one and why, instead of the decoder's "not valid JSON".
    let integerKeys: Set<String> = [
      "three_body", "three_body_basis", "four_body", "two_body", "radial_knots", "angular_knots",
      "pair_knots",
      "epochs", "polish_epochs", "batch_size",
      "threads", "seed", "split_seed", "validate_every", "hidden", "milestones",
    ]
    for key in dict.keys.sorted() where integerKeys.contains(key) {
      let values: [Any] = (dict[key] as? [Any]) ?? [dict[key]!]
      for v in values {
        guard let number = v as? NSNumber, !(v is Bool) else { continue }  // other types: the decoder's message
        let d = number.doubleValue
        let minimum = ["seed", "split_seed"].contains(key) ? 0.0 : -9.2e18
        guard d == d.rounded(), d >= minimum, d <= 9.2e18 else {
          throw FitError(
            "\(path): '\(key)' must be \(key == "hidden" || key == "milestones" ? "a list of whole numbers" : "a whole number"), found \(number)"
          )
        }
      }
    }
    do { return try JSONDecoder().decode(FitConfiguration.self, from: data) } catch let
      DecodingError.typeMismatch(_, ctx)
    {
      throw FitError(
        "\(path): wrong type for '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))': \(ctx.debugDescription)"
      )
    } catch {
      throw FitError("\(path): \(error)")
    }
  }

  /// Checks ranges and combinations; returns the first problem.
  public func validate() throws {
    func bad(_ m: String) -> FitError { FitError("invalid configuration: \(m)") }
    if train.isEmpty { throw bad("no training data (give 'train' in the config or --train FILE)") }
    if let els = elements {
      if els.isEmpty {
        throw bad(
          "elements is empty: give chemical symbols such as [\"Mo\"], or leave it out to use the data's"
        )
      }
      for e in els where PeriodicTable.atomicNumber(e) == nil {
        throw bad("elements: '\(e)' is not a chemical symbol (case-sensitive, e.g. Mo, Nb, Si)")
      }
      if Set(els).count != els.count { throw bad("elements lists an element twice: \(els)") }
    }
    if let b = threeBodyBasis {
      guard b.count == 2, b[0] >= 1, b[1] >= 1 else {
        throw bad(
          "three_body_basis must be [A, C] with A >= 1 radial and C >= 1 angular splines, found \(b)"
        )
      }
      let n3 = ThreeBodyBasis(radial: b[0], angular: b[1]).filterCount
      if n3 > InputLimits.maxFilters {
        throw bad(
          "three_body_basis \(b) makes A(A+1)/2 * C = \(n3) three-body filters, more than \(InputLimits.maxFilters)"
        )
      }
      if threeBody != n3 {
        throw bad(
          "three_body (\(threeBody)) disagrees with three_body_basis \(b), which makes A(A+1)/2 * C = \(n3) filters: leave three_body out"
        )
      }
    }
    if fourBody < 0 || fourBody > InputLimits.maxFilters / 2 {
      throw bad(
        "four_body must be a number of radial splines in 0...\(InputLimits.maxFilters / 2), found \(fourBody)"
      )
    }
    if fourBody > 0 && freezeFilters != nil {
      throw bad(
        "four_body cannot be combined with freeze_filters (the frozen file's filters have no four-body part)"
      )
    }
    if threeBody < 0 || twoBody < 0 || threeBody + twoBody == 0 {
      throw bad("need three_body + two_body >= 1")
    }
    for (name, v) in [("three_body", threeBody), ("two_body", twoBody)]
    where v > InputLimits.maxFilters {
      throw bad("\(name) must be at most \(InputLimits.maxFilters), found \(v)")
    }
    // A cardinal angular basis may be the 4 Hermite cubics in cos θ of 2 knots (C = 4, one
    // SIMD4 lane of the tensor kernel); learned splines need 3 knots or more.
    if radialKnots < 3 || pairKnots < 3 || angularKnots < (filterStart == .cardinal ? 2 : 3) {
      throw bad(
        "every spline needs at least 3 knots\(filterStart == .cardinal ? " (angular splines of filter_start cardinal: 2)" : "")"
      )
    }
    for (name, v) in [
      ("radial_knots", radialKnots), ("angular_knots", angularKnots), ("pair_knots", pairKnots),
    ]
    where v > InputLimits.maxKnots {
      throw bad("\(name) must be at most \(InputLimits.maxKnots), found \(v)")
    }
    for (name, v) in [("cutoff", cutoff), ("radial_min", radialMin), ("pair_cutoff", pairCutoff)]
    where !v.isFinite {
      throw bad("\(name) must be a finite distance (Å), found \(v)")
    }
    if !(cutoff <= InputLimits.maxCutoff) {
      throw bad("cutoff must be at most \(InputLimits.maxCutoff) Å, found \(cutoff)")
    }
    if !(radialMin >= 0) { throw bad("radial_min must be >= 0 Å, found \(radialMin)") }
    if !(cutoff > radialMin) {
      throw bad("cutoff (\(cutoff)) must exceed radial_min (\(radialMin))")
    }
    if let rc3 = threeBodyCutoff, !(rc3 > radialMin && rc3 <= cutoff) {
      throw bad(
        "three_body_cutoff (\(rc3)) must lie in (radial_min, cutoff] = (\(radialMin), \(cutoff)]")
    }
    let radialSpacing = (cutoff - radialMin) / Double(radialKnots - 1)
    if radialSpacing < InputLimits.minKnotSpacing {
      throw bad(
        "radial knots are \(radialSpacing) Å apart; (cutoff - radial_min) / (radial_knots - 1) must be at least \(InputLimits.minKnotSpacing) Å"
      )
    }
    if hasPairTerm && !(pairCutoff > radialMin && pairCutoff <= cutoff) {
      throw bad("pair_cutoff (\(pairCutoff)) must lie in (radial_min, cutoff]")
    }
    if hidden.contains(where: { $0 < 1 }) { throw bad("hidden layer sizes must be >= 1") }
    if let h = hidden.first(where: { $0 > InputLimits.maxLayerWidth }) {
      throw bad("hidden layer sizes must be at most \(InputLimits.maxLayerWidth), found \(h)")
    }
    if hidden.count > InputLimits.maxLayers - 1 {
      throw bad(
        "at most \(InputLimits.maxLayers - 1) hidden layers are supported, found \(hidden.count)")
    }
    for (name, v) in [
      ("epochs", epochs), ("batch_size", batchSize), ("validate_every", validateEvery),
    ] where v < 1 {
      throw bad("\(name) must be >= 1, found \(v)")
    }
    if polishEpochs < 0 { throw bad("polish_epochs must be >= 0, found \(polishEpochs)") }
    if committee < 1 || committee > PotentialFile.maximumCommitteeHeads {
      throw bad(
        "committee must be a number of network heads in 1...\(PotentialFile.maximumCommitteeHeads), found \(committee)"
      )
    }
    if bootstrap && committee < 2 {
      throw bad(
        "bootstrap resamples the training frames per committee head; it needs committee >= 2, found \(committee)"
      )
    }
    if committee > 1 && variant == .linear {
      throw bad(
        "committee \(committee) needs network heads, but variant 'linear' has no network (use int-all, int-skip or network)"
      )
    }
    if epochs > FitConfiguration.maxEpochs || polishEpochs > FitConfiguration.maxEpochs - epochs {
      throw bad(
        "epochs + polish_epochs must be at most \(FitConfiguration.maxEpochs), found \(epochs) + \(polishEpochs)"
      )
    }
    if validateEvery > totalEpochs {
      throw bad(
        "validate_every (\(validateEvery)) exceeds the \(totalEpochs) epochs: no validation would ever run, so no best.ckpt"
      )
    }
    if !(learningRate > 0 && learningRate.isFinite) {
      throw bad("learning_rate must be a finite number > 0, found \(learningRate)")
    }
    if !(gamma > 0 && gamma.isFinite) {
      throw bad("gamma must be a finite number > 0, found \(gamma)")
    }
    if !(l2 >= 0 && l2.isFinite) { throw bad("l2 must be a finite number >= 0, found \(l2)") }
    for (name, w) in [
      ("energy_weight", energyWeight), ("force_weight", forceWeight),
      ("stress_weight", stressWeight),
    ]
    where !(w >= 0 && w.isFinite) {
      throw bad("\(name) must be a finite number >= 0, found \(w)")
    }
    if !(energyWeight > 0 || forceWeight > 0 || stressWeight > 0) {
      throw bad("energy_weight, force_weight and stress_weight are all 0: at least one must be > 0")
    }
    for (group, w) in configTypeWeights.sorted(by: { $0.key < $1.key })
    where !(w >= 0 && w.isFinite) {
      throw bad("config_type_weights: '\(group)' = \(w); weights must be finite numbers >= 0")
    }
    if let m = milestones, let bad0 = m.first(where: { $0 < 1 }) {
      throw bad("milestones must be epochs >= 1, found \(bad0)")
    }
    if validation == nil && !(validationFraction > 0 && validationFraction < 1) {
      throw bad("validation_fraction must lie in (0, 1) when no validation file is given")
    }
    if let t = threads, t < 1 || t > 4096 { throw bad("threads must lie in 1...4096, found \(t)") }
    if let (el, e) = isolatedAtomEnergies.first(where: { !$0.value.isFinite }) {
      throw bad("isolated_atom_energies: \(el) = \(e) is not a finite energy (eV)")
    }
    if !isolatedAtomEnergies.isEmpty && ![.linear, .intAll].contains(variant) {
      throw bad(
        "isolated_atom_energies needs variant linear or int-all (their lone-atom energy is the bias plus a constant; \(variant) networks have biases)"
      )
    }
    if filterStart == .cardinal {
      // One spline per parameter of its knot grid (FilterStart.cardinal).
      let a = radialKnots
      let c = angularKnots + 2
      if threeBody > 0 && basis != ThreeBodyBasis(radial: a, angular: c) {
        throw bad(
          "filter_start cardinal makes one spline per spline parameter: three_body_basis must be [radial_knots, angular_knots + 2] = [\(a), \(c)], found \(threeBodyBasis.map { "\($0)" } ?? "none (the product form)")"
        )
      }
      if twoBody != 0 && twoBody != a {
        throw bad(
          "filter_start cardinal makes one spline per spline parameter: two_body must be 0 or radial_knots = \(a), found \(twoBody)"
        )
      }
      if fourBody > 0 { throw bad("filter_start cardinal has no four-body basis: set four_body 0") }
      if freezeFilters != nil {
        throw bad("filter_start cardinal and freeze_filters both set the filters: choose one")
      }
    }
    if optimizer == .leastSquares {
      // The loss must be quadratic in what is trained (LeastSquares).
      if !hidden.isEmpty || ![.network, .intSkip, .linear].contains(variant) {
        throw bad(
          "optimizer least_squares needs a model linear in its trained parameters: variant network, int-skip or linear with hidden [] (one linear layer), found variant \(variant) with hidden \(hidden)"
        )
      }
      if committee > 1 || fourBody > 0 {
        throw bad(
          "optimizer least_squares fits one head without four-body filters: set committee 1 and four_body 0"
        )
      }
      if epochs != 1 || polishEpochs != 0 {
        throw bad(
          "optimizer least_squares reaches the loss minimum in one solve: set epochs 1 and polish_epochs 0, found \(epochs) and \(polishEpochs)"
        )
      }
    }
    if let from = freezeFilters, from.isEmpty {
      throw bad("freeze_filters is empty: give the path of a shared-filter .snnp file")
    }
    if let core = coreRepulsion {
      guard core.count == 2, core[0] > 0, core[0] < core[1], core[1] <= cutoff else {
        throw bad(
          "core_repulsion must be [inner, outer] in Å with 0 < inner < outer <= cutoff (\(cutoff)), found \(core)"
        )
      }
    }
  }

  /// Largest number of epochs (plus polish epochs) of one run.
  public static let maxEpochs = 100_000_000

  /// All epochs of the run: `epochs` of `optimizer`, then `polish_epochs` of L-BFGS.
  public var totalEpochs: Int { epochs + polishEpochs }

  /// Whether epoch `epoch` (0-based) takes one full-batch L-BFGS step.
  public func usesLBFGS(epoch: Int) -> Bool { optimizer == .lbfgs || epoch >= epochs }

  /// The seed the validation split is drawn with: `split_seed`, or else `seed`.
  public var effectiveSplitSeed: UInt64 { splitSeed ?? seed }

  /// Whether the model gets a pair term.
  public var hasPairTerm: Bool { pairTerm ?? (variant == .intAll) }

  /// The milestones actually used: given ones, or 60 % and 85 % of the epochs.
  public var effectiveMilestones: [Int] {
    milestones ?? [Int(Double(epochs) * 0.6), Int(Double(epochs) * 0.85)]
  }
}

/// A fitting error with a message a user can act on.
public struct FitError: Error, CustomStringConvertible, Equatable {
  /// The message.
  public let description: String
  /// Creates an error.
  public init(_ description: String) { self.description = description }
}
