import Foundation
import SNNPFormat

/// One setting of a fit: its JSON key, its help, and how a JSON value or the text of
/// its flag lands in ``FitConfiguration``. Every setting is declared once, in
/// ``FitConfiguration/settings``: decoding and encoding the configuration file, the
/// flags of `snnp fit` (`--three-body-basis` for key `three_body_basis`) and their
/// help, the list of valid keys and the check of what a resumed run may change all
/// read that table.
public struct FitSetting: Sendable {
  /// The key in the configuration file (snake_case).
  public let key: String
  /// One line of help (units, defaults, meaning).
  public let help: String
  /// The value's form on the command line (`N`, `Å`, `A,C`, ...), or nil for a switch
  /// (a flag without a value that sets `true`).
  public let valueName: String?
  /// Whether `snnp fit` takes this setting as a flag (false: configuration file only).
  public let isFlag: Bool
  /// Whether the flag may be repeated, each occurrence adding one value (`--train`).
  public let repeats: Bool
  /// A one-letter alias of the flag (`-o` for `--output`), or nil.
  public var alias: String? = nil
  let decode:
    @Sendable (KeyedDecodingContainer<SettingKey>, SettingKey, inout FitConfiguration) throws ->
      Void
  let encode:
    @Sendable (FitConfiguration, inout KeyedEncodingContainer<SettingKey>, SettingKey) throws ->
      Void
  /// Sets the value from the flag's texts (every occurrence, in order).
  let parse:
    @Sendable (_ flagName: String, _ texts: [String], inout FitConfiguration) throws -> Void

  /// The command-line flag, e.g. `--three-body-basis`.
  public var flag: String { "--" + key.replacingOccurrences(of: "_", with: "-") }
}

/// A JSON key of the configuration file.
public struct SettingKey: CodingKey {
  public let stringValue: String
  public var intValue: Int? { nil }
  public init(_ key: String) { stringValue = key }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) { nil }
}

extension FitSetting {
  /// The setting with a one-letter alias of its flag.
  func aliased(_ short: String) -> FitSetting {
    var s = self
    s.alias = short
    return s
  }

  /// The flag's last value, parsed by `make`, with an error naming the flag.
  static func last<T>(
    _ texts: [String], _ flag: String, _ form: String, _ make: (String) throws -> T?
  ) throws -> T {
    let text = texts.last!
    guard let value = try make(text) else {
      throw FitError("\(flag) expects \(form), found '\(text)'")
    }
    return value
  }

  /// A comma-separated list.
  static func list<T>(_ text: String, _ make: (String) -> T?) -> [T]? {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0).trimmingCharacters(in: .whitespaces)
    }
    let values = parts.compactMap(make)
    return values.count == parts.count && !values.isEmpty ? values : nil
  }

  /// A setting whose flag text converts with `T(text)` (numbers, strings).
  static func value<T: Codable & LosslessStringConvertible & Sendable>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, T> & Sendable, _ valueName: String,
    flag: Bool = true,
    repeats: Bool = false, _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: valueName, isFlag: flag, repeats: repeats,
      decode: { c, k, config in config[keyPath: path] = try c.decode(T.self, forKey: k) },
      encode: { config, c, k in try c.encode(config[keyPath: path], forKey: k) },
      parse: { name, texts, config in
        config[keyPath: path] = try last(
          texts, name, valueName
        ) { T($0) }
      })
  }

  /// An optional setting (nil when absent).
  static func optional<T: Codable & LosslessStringConvertible & Sendable>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, T?> & Sendable, _ valueName: String,
    flag: Bool = true,
    _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: valueName, isFlag: flag, repeats: false,
      decode: { c, k, config in config[keyPath: path] = try c.decodeIfPresent(T.self, forKey: k) },
      encode: { config, c, k in try c.encodeIfPresent(config[keyPath: path], forKey: k) },
      parse: { name, texts, config in
        config[keyPath: path] = try last(
          texts, name, valueName
        ) { T($0) }
      })
  }

  /// A list: a JSON array, or comma-separated values of one flag (or, with `repeats`,
  /// one value per occurrence of the flag).
  static func list<T: Codable & LosslessStringConvertible & Sendable>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, [T]> & Sendable, _ valueName: String,
    flag: Bool = true,
    repeats: Bool = false, _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: valueName, isFlag: flag, repeats: repeats,
      decode: { c, k, config in config[keyPath: path] = try c.decode([T].self, forKey: k) },
      encode: { config, c, k in try c.encode(config[keyPath: path], forKey: k) },
      parse: { name, texts, config in
        config[keyPath: path] =
          repeats
          ? try texts.map { t in try last([t], name, valueName) { T($0) } }
          : try last(texts, name, valueName) { list($0) { T($0) } }
      })
  }

  /// An optional list (nil when absent).
  static func optionalList<T: Codable & LosslessStringConvertible & Sendable>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, [T]?> & Sendable, _ valueName: String,
    flag: Bool = true,
    _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: valueName, isFlag: flag, repeats: false,
      decode: { c, k, config in config[keyPath: path] = try c.decodeIfPresent([T].self, forKey: k)
      },
      encode: { config, c, k in try c.encodeIfPresent(config[keyPath: path], forKey: k) },
      parse: { name, texts, config in
        config[keyPath: path] = try last(
          texts, name, valueName
        ) {
          list($0) { T($0) }
        }
      })
  }

  /// A switch: `true`/`false` in JSON, the bare flag on the command line sets `true`.
  static func flag(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, Bool> & Sendable, _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: nil, isFlag: true, repeats: false,
      decode: { c, k, config in config[keyPath: path] = try c.decode(Bool.self, forKey: k) },
      encode: { config, c, k in try c.encode(config[keyPath: path], forKey: k) },
      parse: { _, _, config in config[keyPath: path] = true })
  }

  /// A named choice (``FitChoice``): unknown names are rejected with "did you mean".
  static func choice<T: FitChoice>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, T> & Sendable, flag: Bool = true,
    _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: T.allCases.map(\.rawValue).joined(separator: "|"),
      isFlag: flag, repeats: false,
      decode: { c, k, config in config[keyPath: path] = try c.decode(T.self, forKey: k) },
      encode: { config, c, k in try c.encode(config[keyPath: path], forKey: k) },
      parse: { _, texts, config in config[keyPath: path] = try T(choosing: texts.last!) })
  }

  /// A configuration-file-only setting of any decodable type.
  static func file<T: Codable & Sendable>(
    _ key: String, _ path: WritableKeyPath<FitConfiguration, T> & Sendable, _ help: String
  ) -> FitSetting {
    FitSetting(
      key: key, help: help, valueName: nil, isFlag: false, repeats: false,
      decode: { c, k, config in config[keyPath: path] = try c.decode(T.self, forKey: k) },
      encode: { config, c, k in try c.encode(config[keyPath: path], forKey: k) },
      parse: { _, _, _ in })
  }
}

extension FitConfiguration {
  /// The settings, in the order `snnp fit --help` lists them.
  public static let settings: [FitSetting] = [
    .list(
      "train", \.train, "FILE", repeats: true,
      "Training extended-XYZ file (repeatable; energy= and forces required)."),
    .optional(
      "validation", \.validation, "FILE",
      "Validation file (default: a seeded split of the training data)."),
    .value(
      "validation_fraction", \.validationFraction, "F",
      "Fraction held out for validation without a validation file."),
    .optionalList(
      "elements", \.elements, "EL,...",
      "Model elements in order (default: those of the data, sorted)."),
    .choice("variant", \.variant, "Model variant."),
    .value("three_body", \.threeBody, "N", "Number of three-body filters N3."),
    .optionalList(
      "three_body_basis", \.threeBodyBasis, "A,C",
      "Tensor-product three-body filters: A radial and C angular splines make A(A+1)/2*C filters (sets N3)."
    ),
    .choice(
      "filter_start", \.filterStart,
      "Start of the three-body filters: smooth (one shape, random amplitudes), spread (distinct radial bumps and angular orders) or cardinal (the spline basis itself, for least_squares)."
    ),
    .value("two_body", \.twoBody, "N", "Number of two-body filters N2."),
    .value(
      "four_body", \.fourBody, "A",
      "Four-body radial splines A: adds the moment filters m.M.m and tr(M^3) of each (0: none)."),
    .value("radial_knots", \.radialKnots, "K", "Knots per radial spline f, rho."),
    .value("angular_knots", \.angularKnots, "K", "Knots per angular spline g."),
    .value(
      "radial_min", \.radialMin, "Å", flag: false,
      "First radial knot (Å); linear extrapolation below."),
    .value("cutoff", \.cutoff, "Å", "Filter cutoff (Å)."),
    .optional(
      "three_body_cutoff", \.threeBodyCutoff, "Å",
      "Three-body filter cutoff (Å), at most the cutoff (default: the cutoff)."),
    .value("pair_cutoff", \.pairCutoff, "Å", "Pair-term cutoff (Å), int-all only."),
    .value("pair_knots", \.pairKnots, "K", flag: false, "Knots of the pair-term spline."),
    .optional(
      "pair_term", \.pairTerm, "BOOL", flag: false,
      "Whether the model has the pair term (default: int-all only)."),
    .list("hidden", \.hidden, "N,...", "Hidden layer sizes."),
    .value("energy_weight", \.energyWeight, "W", "Energy loss weight."),
    .value("force_weight", \.forceWeight, "W", "Force loss weight."),
    .value("stress_weight", \.stressWeight, "W", "Stress loss weight (0: off)."),
    .choice(
      "stress_loss", \.stressLoss,
      "Stress part in the loss: full, or deviatoric (traceless; for data with a constant Pulay pressure)."
    ),
    .value("l2", \.l2, "λ", "L2 penalty on network weights."),
    .choice(
      "optimizer", \.optimizer, flag: false,
      "Optimizer of the epochs: amsgrad, lbfgs, or least_squares (one exact solve; filters fixed, hidden [])."
    ),
    .value("learning_rate", \.learningRate, "LR", "Initial learning rate."),
    .optionalList(
      "milestones", \.milestones, "E,...", flag: false,
      "Epochs at which the learning rate is multiplied by gamma."),
    .value("gamma", \.gamma, "F", flag: false, "Learning-rate factor at each milestone."),
    .value("epochs", \.epochs, "N", "Epochs."),
    .value(
      "polish_epochs", \.polishEpochs, "N",
      "Full-batch L-BFGS iterations after the epochs, from the best parameters so far."),
    .value(
      "committee", \.committee, "K",
      "Network heads trained on the same filters (a committee: energy = their mean, spread = per-atom uncertainty; K = 4 fits at about 1.5 times one head)."
    ),
    .flag(
      "bootstrap", \.bootstrap,
      "With --committee: each head trains on its own bootstrap resample of the training frames (drawn with replacement from --seed)."
    ),
    .flag(
      "shared_filters", \.sharedFilters,
      "One set of filters (f, g, rho splines) for every element, one network and bias per element (the paper's cross-system model)."
    ),
    .optional(
      "freeze_filters", \.freezeFilters, "FILE",
      "Train only networks, biases and pair terms on the exact, fixed filters of this shared-filter .snnp file (implies --shared-filters)."
    ),
    .value("batch_size", \.batchSize, "N", "Configurations per mini-batch."),
    .optional("threads", \.threads, "N", "Worker threads (default: all cores)."),
    .value(
      "seed", \.seed, "N",
      "Random seed: initial parameters, batch order, and the validation split unless --split-seed is given."
    ),
    .optional(
      "split_seed", \.splitSeed, "N",
      "Seed of the validation split alone (default: --seed): restarts with other --seed values keep the same validation frames."
    ),
    .flag(
      "stratify_split", \.stratifySplit,
      "Split by config_type: every group gives its share of the validation frames (largest remainders) instead of a plain shuffle."
    ),
    .file(
      "config_type_weights", \.configTypeWeights, "Loss weight per config_type (default 1 each)."),
    .file(
      "isolated_atom_energies", \.isolatedAtomEnergies,
      "Pinned isolated-atom energy per element (eV)."),
    .optionalList(
      "core_repulsion", \.coreRepulsion, "Å,Å", flag: false,
      "[inner, outer] of the fixed ZBL core repulsion (Å)."),
    .value("output", \.output, "DIR", "Output directory.").aliased("-o"),
    .value(
      "validate_every", \.validateEvery, "N", flag: false,
      "Evaluate the validation set every N epochs."),
  ]

  /// The settings a resumed run may change.
  public static let resumableKeys: Set<String> = ["epochs", "polish_epochs", "threads", "output"]

  /// The setting of `key`, or nil.
  public static func setting(_ key: String) -> FitSetting? { settings.first { $0.key == key } }

  /// The settings given as flags in `arguments` (`--key value`, `--key=value`, bare
  /// switches), in order, with their texts.
  /// - Throws: ``FitError`` for an unknown flag (with the nearest valid one), a missing
  ///   value, or a stray argument.
  public static func flags(
    in arguments: [String]
  ) throws -> [(setting: FitSetting, texts: [String])] {
    var found: [(setting: FitSetting, texts: [String])] = []
    let flags = settings.filter(\.isFlag)
    var k = 0
    while k < arguments.count {
      let word = arguments[k]
      k += 1
      guard word.hasPrefix("-") else {
        throw FitError("unexpected argument '\(word)' (settings are given as --name value)")
      }
      var name = word
      var inline: String?
      if let eq = word.firstIndex(of: "=") {
        name = String(word[..<eq])
        inline = String(word[word.index(after: eq)...])
      }
      guard let setting = flags.first(where: { $0.flag == name || $0.alias == name }) else {
        var m = "unknown option '\(name)'"
        if let s = nearest(name, in: flags.map(\.flag) + ["--config", "--resume"]) {
          m += " (did you mean '\(s)'?)"
        }
        throw FitError(m + "; see snnp fit --help")
      }
      var text = ""
      if setting.valueName != nil {
        if let inline {
          text = inline
        } else {
          guard k < arguments.count else {
            throw FitError("\(name) expects a value (\(setting.valueName!))")
          }
          text = arguments[k]
          k += 1
        }
      } else if inline != nil {
        throw FitError("\(name) is a switch and takes no value")
      }
      if let i = found.firstIndex(where: { $0.setting.key == setting.key }) {
        found[i].texts.append(text)
      } else {
        found.append((setting, [text]))
      }
    }
    return found
  }

  /// Applies flags found by ``flags(in:)``. A tensor basis given without `--three-body`
  /// sets N3 from it.
  public mutating func apply(_ flags: [(setting: FitSetting, texts: [String])]) throws {
    for (setting, texts) in flags { try setting.parse(setting.flag, texts, &self) }
    let keys = Set(flags.map(\.setting.key))
    if keys.contains("three_body_basis"), !keys.contains("three_body"), let basis {
      threeBody = basis.filterCount
    }
  }

  /// The flags of `snnp fit` with their help, for the command's help text: the help
  /// wrapped into a column from 30 to 78 characters.
  public static var flagHelp: String {
    let indent = String(repeating: " ", count: 30)
    // Defaults come from FitConfiguration() itself, so they cannot drift from it.
    let data = (try? JSONEncoder().encode(FitConfiguration())) ?? Data()
    let defaults = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    func text(_ v: Any) -> String? {
      if let list = v as? [Any] { return list.compactMap(text).joined(separator: ",") }
      if let n = v as? NSNumber { return "\(n)" }
      return "\(v)"
    }
    return settings.filter(\.isFlag).map { s in
      var help = s.help
      if let v = defaults[s.key], let t = text(v), !t.isEmpty, s.valueName != nil, !s.repeats {
        help += " Default: \(t)."
      }
      let head =
        "  \(s.alias.map { "\($0), " } ?? "")\(s.flag)\(s.valueName.map { " <\($0)>" } ?? "")"
      var lines: [String] = []
      var line = ""
      for word in help.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > 48 {
          lines.append(line)
          line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
      }
      lines.append(line)
      let first =
        head.count < 30
        ? head + String(repeating: " ", count: 30 - head.count) + lines[0]
        : head + "\n" + indent + lines[0]
      return ([first] + lines.dropFirst().map { indent + $0 }).joined(separator: "\n")
    }.joined(separator: "\n")
  }
}
