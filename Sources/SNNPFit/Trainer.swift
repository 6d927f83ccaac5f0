import Dispatch
import Foundation
import SNNPCore
import SNNPData
import SNNPFormat
import SNNPTraining

extension ErrorSummary {
  /// Adds a fitter prediction of `s`.
  mutating func add(_ s: PreparedStructure, _ p: StructurePrediction) {
    add(deviations: ErrorSummary.deviations(s, p))
  }

  /// The deviations of a prediction of `s`: energy per atom (eV/atom), then the force
  /// components (eV/Å). Ranks send these, so every rank sums the same numbers.
  static func deviations(_ s: PreparedStructure, _ p: StructurePrediction) -> [Double] {
    [(p.energy - s.referenceEnergy) / Double(s.count)]
      + (0..<p.forces.count).map { p.forces[$0] - s.referenceForces[$0] }
  }

  /// Adds one frame's ``deviations(_:_:)``.
  mutating func add(deviations d: [Double]) {
    frames += 1
    energy.add(d[0])
    for k in 1..<d.count { force.add(d[k]) }
  }

  /// wE · energy MSE + wF · force MSE.
  public func loss(_ c: FitConfiguration) -> Double {
    c.energyWeight * energy.mse + c.forceWeight * force.mse
  }
}

/// Set by the SIGINT handler; the training loop stops at the next mini-batch.
nonisolated(unsafe) var interruptRequested: sig_atomic_t = 0

/// Fits an s-NNP potential: mini-batch AMSGrad on energies and forces, threads
/// over configurations, checkpoints every epoch (DESIGN.md §4).
public final class Trainer {
  /// The configuration.
  public let config: FitConfiguration
  /// Parameter layout of the model.
  public let layout: ParameterLayout
  /// Training frames (neighbour data of this rank's chunks only).
  public let train: FrameSet
  /// Validation frames (neighbour data of this rank's chunks only).
  public let validation: FrameSet
  /// Shortest distance (Å) between two atoms in the training and validation frames
  /// (infinity when no two are within the cutoff), over all ranks.
  public let closestApproach: Double
  /// Bytes of prepared neighbour data (``FrameSet/preparedBytes``) held by each rank.
  public let preparedBytesByRank: [Int]
  /// Current state (also what is written to last.ckpt).
  public private(set) var state: Checkpoint
  let threads: Int
  let workers: [GradientWorker]
  /// For a committee (K > 1): per head, the θ index of each parameter of the
  /// single-head model, and one single-head worker per thread. Each head is
  /// trained on its own loss; splines and biases get the mean of the heads' gradients.
  let headIndices: [[Int]]
  let headWorkers: [GradientWorker]
  /// Trains a product-form committee with one pass through the filters for all heads
  /// (``GradientWorker/accumulateCommittee(_:energyCoefficient:forceCoefficient:stressCoefficient:gradient:)``);
  /// off, one head at a time as for the tensor form (tests compare the two).
  public var sharedCommitteePasses = true
  /// With `bootstrap`: per head, how many times each training frame was drawn (the
  /// multiplier of that frame's loss for that head); empty otherwise.
  public let bootstrapCounts: [[Double]]
  let mask: [Double]
  /// θ indices held fixed (gradient zeroed): the biases pinned by
  /// `isolated_atom_energies` and, with `freeze_filters`, every f, g and ρ parameter.
  let pinned: [Int]
  /// The ranks of this fit (one process without mpirun).
  public let communicator: FitCommunicator
  /// Set when any rank was interrupted (SIGINT) during the last batch: every rank
  /// stops at the same batch.
  var interruptedAnywhere = false

  /// Frames per chunk: the unit of work of a rank (chunk c belongs to rank c mod N)
  /// and, for full batches, of the fixed summation order.
  static let chunkFrames = 32

  /// Loads and checks data, prepares neighbour lists and the initial model (or the
  /// state of `resume`). Everything that can fail on bad input fails here, before
  /// any long work.
  public init(
    config: FitConfiguration, command: String, resume: Checkpoint? = nil,
    communicator: FitCommunicator = .single
  ) throws {
    try config.validate()
    self.config = config
    self.communicator = communicator
    if communicator.isRoot {
      try Trainer.checkWritable(config.output)
      if resume != nil { Trainer.sweepStaleTemporaries(in: config.output) }
    }
    let data = try TrainingData.load(config)
    if communicator.isRoot {
      try TextFile.writeAtomically(try data.validationXYZ(), to: config.output + "/validation.xyz")
    }
    // Before the first collective step below: every rank must hold the same settings
    // and frames, or the ranks would wait for each other's different steps.
    if communicator.size > 1, let problem = Trainer.rankMismatch(config, data, communicator) {
      throw FitError(problem)
    }
    let elements = data.elements
    let template: Potential
    if let resume {
      template = try resume.templatePotential()
      guard template.elements == elements else {
        throw FitError(
          "checkpoint elements \(template.elements) differ from the data's \(elements)")
      }
    } else {
      var initial = try InitialModel.make(
        config, elements: elements, bias: [Double](repeating: 0, count: elements.count))
      if config.freezeFilters != nil {
        try Trainer.checkFrozenElements(config, data: data)
        initial = FrozenFilters.apply(try FrozenFilters.source(for: config), to: initial)
      }
      template = initial
    }
    let cutoff = template.cutoff
    // Each rank prepares the neighbour data of its own chunks only.
    let ranks = communicator.size
    let rank = communicator.rank
    func prepare(_ items: [TrainingData.Item]) throws -> FrameSet {
      let weights = items.map { config.configTypeWeights[$0.frame.configType ?? ""] ?? 1 }
      let prepared = try items.enumerated().map { k, item -> PreparedStructure? in
        guard Trainer.owner(k, ranks: ranks) == rank else { return nil }
        let f = item.frame
        return try f.locatingErrors(file: item.file) {
          try PreparedStructure(
            try f.structure(elements: elements, file: item.file), energy: f.energy!,
            forces: f.forces!, stress: f.stress, weight: weights[k], cutoff: cutoff,
            elementCount: elements.count)
        }
      }
      return FrameSet(
        atomCounts: items.map(\.frame.count), referenceEnergies: items.map { $0.frame.energy! },
        weights: weights, prepared: prepared)
    }
    train = try prepare(data.train)
    validation = try prepare(data.validation)
    let sets = [train, validation]
    let closest = sets.flatMap(\.preparedFrames).map(\.closestApproach).min() ?? .infinity
    // The minimum over the ranks (-1 stands for "no pair within the cutoff").
    closestApproach =
      communicator.allGather([closest.isFinite ? closest : -1]).compactMap(\.first)
      .filter { $0 >= 0 }.min() ?? .infinity
    preparedBytesByRank = communicator.allGather(sets.reduce(0) { $0 + $1.preparedBytes })
    if train.weights.allSatisfy({ $0 == 0 }) {
      throw FitError(
        "config_type_weights give every training frame weight 0: at least one group needs a weight > 0"
      )
    }
    layout = ParameterLayout(template: template)
    if let resume {
      // A checkpoint edited or written by another model must not reach the optimiser.
      let n = layout.count
      for (name, count) in [("theta", resume.theta.count), ("bestTheta", resume.bestTheta.count)]
      where count != n {
        throw FitError(
          "checkpoint: '\(name)' holds \(count) parameters, but its model has \(n): the checkpoint is damaged or from another model"
        )
      }
      if let bad = (resume.theta + resume.bestTheta).first(where: { !$0.isFinite }) {
        throw FitError(
          "checkpoint: the parameters hold a non-finite value (\(bad)): the checkpoint is damaged")
      }
      if let problem = resume.optimizer.sizeProblem(parameterCount: n)
        ?? resume.lbfgs.sizeProblem(parameterCount: n)
      {
        throw FitError("checkpoint: " + problem)
      }
    }
    mask = layout.weightMask
    if let unknown = config.isolatedAtomEnergies.keys.sorted().first(where: {
      !elements.contains($0)
    }) {
      throw FitError(
        "isolated_atom_energies: element \(unknown) is not in the model (elements: \(elements.joined(separator: ", ")))"
      )
    }
    let biasOffset = layout.biasOffset
    pinned =
      elements.indices.filter { config.isolatedAtomEnergies[elements[$0]] != nil }.map {
        biasOffset + $0
      }
      + (config.holdsFiltersFixed ? FrozenFilters.frozenIndices(layout) : [])
      // A least-squares solve needs every free direction determined: the network's output
      // bias and the element bias add the same constant, so the element bias stays put.
      + (config.optimizer == .leastSquares && config.variant != .linear
        ? Array(biasOffset..<(biasOffset + elements.count)) : [])
    threads = config.threads ?? ProcessInfo.processInfo.activeProcessorCount
    if let resume {
      state = resume
      // Settings changed on resume (epochs, polish, threads) are the run's from now on.
      state.config = config
    } else {
      // Biases: least squares of the reference energies minus the bias-free initial model.
      var theta = layout.parameters(of: template)
      if config.twoBody > 0 && config.freezeFilters == nil
        && elements.allSatisfy({ config.isolatedAtomEnergies[$0] != nil })
      {
        theta = try Trainer.scaleTwoBodyToCohesion(
          theta, layout: layout, config: config, train: train, communicator: communicator)
      }
      let worker = GradientWorker(layout: ParameterLayout(template: template), parameters: theta)
      let frames = train
      let residuals = communicator.gatherFrames(
        frames.preparedIndices.map { k in
          let s = frames[k]
          return (k, [s.referenceEnergy - worker.predict(s).energy])
        }, count: train.count)
      var residual = data
      for k in train.indices { residual.train[k].frame.energy = residuals[k][0] }
      // Pinned elements: b = E_atom - (lone-atom energy of the bias-free model), so that
      // a lone atom has exactly E_atom (int. all adds softplus(0) = ln 2 to b).
      for (c, b) in residual.referenceEnergies().enumerated() {
        if let atom = config.isolatedAtomEnergies[elements[c]] {
          theta[layout.biasOffset + c] = atom - (try Trainer.loneAtomEnergy(template, element: c))
        } else {
          theta[layout.biasOffset + c] = b
        }
      }
      state = Checkpoint(
        config: config, template: PotentialFile(potential: template).text(), theta: theta,
        bestTheta: theta,
        bestValidationLoss: .infinity, bestEpoch: 0, bestValidationErrors: [], epoch: 0, batch: 0,
        optimizer: AMSGrad(count: layout.count), partialEpoch: ErrorSummary(), seconds: 0,
        command: command,
        log: [])
    }
    let layout = self.layout
    let start = state.theta
    workers = (0..<threads).map { _ in GradientWorker(layout: layout, parameters: start) }
    let frozen = config.holdsFiltersFixed
    let heads = template.headCount
    if heads > 1 {
      let indices = (0..<heads).map { layout.headIndices($0) }
      let single = ParameterLayout(template: layout.headTemplate(0))
      headIndices = indices
      headWorkers = (0..<threads).map { _ in
        GradientWorker(layout: single, parameters: indices[0].map { start[$0] })
      }
    } else {
      headIndices = []
      headWorkers = []
    }
    for w in workers + headWorkers {
      w.filtersFrozen = frozen
      w.deviatoricStress = config.stressLoss == .deviatoric
    }
    bootstrapCounts =
      config.bootstrap
      ? Trainer.bootstrapCounts(frames: train.count, heads: heads, seed: config.seed) : []
  }

  /// Per head, the number of times each of `frames` training frames is drawn when
  /// `frames` frames are drawn with replacement (seeded by `seed` and the head).
  static func bootstrapCounts(frames: Int, heads: Int, seed: UInt64) -> [[Double]] {
    (0..<heads).map { h in
      var rng = SeededGenerator(seed: seed &+ UInt64(h + 1) &* 0xB007_5742_A5C1_D3E9)
      var counts = [Double](repeating: 0, count: frames)
      for _ in 0..<frames { counts[Int(rng.next() % UInt64(frames))] += 1 }
      return counts
    }
  }

  /// Worker threads of this process.
  public var threadCount: Int { threads }

  /// Under MPI: describes how this rank's settings or data differ from rank 0's, or nil.
  /// (Every rank must load the same configuration and the same frames.) Every rank calls
  /// it, before any other collective step of the fit.
  static func rankMismatch(
    _ config: FitConfiguration, _ data: TrainingData, _ communicator: FitCommunicator
  ) -> String? {
    var mine = config
    mine.threads = nil  // threads may differ between ranks: the results do not depend on them
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let text = (try? encoder.encode(mine)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let root = communicator.broadcast(text)
    var problems: [String] = []
    if root != text {
      problems.append(
        "its fit settings differ from rank 0's (\(text.count) vs \(root.count) characters of JSON)")
    }
    // A fingerprint of the data: frame counts, sizes and the reference energies' bits.
    var print: UInt64 = UInt64(data.train.count) &* 1_000_003 &+ UInt64(data.validation.count)
    for item in data.train + data.validation {
      print = (print &* 1_099_511_628_211) ^ item.frame.energy!.bitPattern
      print = (print &* 1_099_511_628_211) ^ UInt64(item.frame.count)
    }
    let prints = communicator.allGather(Int(truncatingIfNeeded: print & 0x7fff_ffff))
    if prints.contains(where: { $0 != prints[0] }) {
      problems.append("its training or validation frames differ from rank 0's")
    }
    let bad = communicator.allGather(problems.isEmpty ? 0 : 1)
    if !problems.isEmpty { return "rank \(communicator.rank): " + problems.joined(separator: "; ") }
    if let r = bad.firstIndex(of: 1) {
      return "rank \(r) loaded other settings or data than rank 0 (its message names which)"
    }
    return nil
  }

  /// A frozen-filter fit trains one network per element from the data: every model
  /// element must occur in the training frames.
  static func checkFrozenElements(_ config: FitConfiguration, data: TrainingData) throws {
    let found = Set(data.train.flatMap(\.frame.symbols))
    if let missing = data.elements.first(where: { !found.contains($0) }) {
      throw FitError(
        "freeze_filters: element \(missing) has no atoms in the training data, so its network cannot be fitted (elements in the data: \(found.sorted().joined(separator: " ")))"
      )
    }
  }

  /// Energy (eV) of one atom of element `c` alone under `potential`.
  static func loneAtomEnergy(_ potential: Potential, element c: Int) throws -> Double {
    let lone = Structure(
      cell: [.zero, .zero, .zero], pbc: [false, false, false], positions: [.zero], species: [c])
    return try Evaluator(potential).evaluate(lone, filters: false).energy
  }

  /// With every bias pinned at the isolated-atom energy, the random initial filters
  /// miss the whole cohesive energy (eV per atom), and the first epochs are spent
  /// growing it. Scale the two-body filters ρ (the embedding-like, density part) by
  /// the least-squares factor that removes the mean per-atom energy error: training
  /// then starts from a bound solid, as with fitted biases.
  static func scaleTwoBodyToCohesion(
    _ theta: [Double], layout: ParameterLayout, config: FitConfiguration, train: FrameSet,
    communicator: FitCommunicator
  ) throws -> [Double] {
    var p = layout.potential(from: theta)
    for (c, el) in p.elements.enumerated() {
      p.bias[c] = config.isolatedAtomEnergies[el]! - (try loneAtomEnergy(p, element: c))
    }
    // The network sees G2 too, so the energy is not linear in the scale: three
    // least-squares steps, each on the current model.
    let nf = p.filterCount
    for _ in 0..<3 {
      let evaluator = Evaluator(p)
      // Per frame (by the rank that owns it): the error per atom and mean G2 per atom.
      let terms = communicator.gatherFrames(
        train.preparedIndices.map { k in
          let s = train[k]
          let (energy, filters) = evaluator.energyAndFilters(s)
          let n = Double(s.count)
          var g2 = 0.0
          for i in 0..<s.count {
            let g2Start = i * nf + config.threeBody
            g2 += filters[g2Start..<(g2Start + config.twoBody)].reduce(0, +)
          }
          g2 /= n
          return (k, [s.referenceEnergy / n - energy / n, g2])
        }, count: train.count)
      var numerator = 0.0
      var denominator = 0.0
      for t in terms {
        numerator += t[0] * t[1]
        denominator += t[1] * t[1]
      }
      guard denominator > 0 else { return theta }
      let factor = 1 + numerator / denominator
      for c in p.rho.indices {
        for k in 0..<p.rho[c].count {
          var spline = p.rho[c].splines[k]
          spline.parameters = spline.parameters.map { $0 * factor }
          p.rho[c].setSpline(k, spline)
        }
      }
    }
    p.bias = layout.template.bias
    var scaled = layout.parameters(of: p)
    for c in p.elements.indices { scaled[layout.biasOffset + c] = theta[layout.biasOffset + c] }
    return scaled
  }

  static func checkWritable(_ dir: String) throws {
    // mkdir -p with POSIX calls, so a failure names the system's reason (not an NSError code).
    var prefix = dir.hasPrefix("/") ? "" : "."
    for part in dir.split(separator: "/") {
      prefix += "/" + part
      var info = stat()
      if stat(prefix, &info) == 0 {
        if (info.st_mode & S_IFMT) != S_IFDIR {
          throw FitError(
            "output directory \(dir) cannot be created: \(prefix) is a file, not a directory")
        }
        continue
      }
      if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
        throw FitError(
          "output directory \(dir) cannot be created: \(prefix): \(String(cString: strerror(errno)))"
        )
      }
    }
    do {
      try TextFile.writeAtomically("", to: dir + "/.write-test")
      try? FileManager.default.removeItem(atPath: dir + "/.write-test")
    } catch let e as FileError {
      throw FitError("output directory \(dir) is not writable: \(e.description)")
    } catch {
      throw FitError(
        "output directory \(dir) is not writable: \((error as NSError).localizedDescription)")
    }
  }

  /// Removes `<name>.tmp.<pid>` files that an atomic write (``TextFile/writeAtomically(_:to:)``)
  /// left in `dir` when its process was killed: those of processes that no longer
  /// exist, and this process's own. Returns the names removed.
  @discardableResult
  public static func sweepStaleTemporaries(in dir: String) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
    var removed: [String] = []
    for name in names.sorted() {
      guard let r = name.range(of: ".tmp.", options: .backwards),
        let pid = Int32(name[r.upperBound...]), pid > 0
      else { continue }
      let alive = pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM)
      if !alive, (try? FileManager.default.removeItem(atPath: dir + "/" + name)) != nil {
        removed.append(name)
      }
    }
    return removed
  }

  /// Learning rate at `epoch` (0-based): MultiStepLR.
  public func learningRate(epoch: Int) -> Double {
    config.learningRate
      * pow(config.gamma, Double(config.effectiveMilestones.filter { $0 <= epoch }.count))
  }

  /// Batch order of `epoch`: a function of the seed and the epoch only, so a resumed
  /// run repeats it exactly.
  func batches(epoch: Int) -> [[Int]] {
    var rng = SeededGenerator(seed: config.seed &+ UInt64(epoch + 1) &* 0x9E37_79B9_7F4A_7C15)
    var order = Array(train.indices)
    order.shuffle(using: &rng)
    return stride(from: 0, to: order.count, by: config.batchSize).map {
      Array(order[$0..<min($0 + config.batchSize, order.count)])
    }
  }

  /// The blocks of a batch (ranges of batch positions): runs of consecutive frames of
  /// one chunk. A shuffled mini-batch is mostly single frames, a full batch in frame
  /// order is its chunks. Each block is summed by one thread of one rank, in frame
  /// order, and the blocks are summed in batch order: the result does not depend on
  /// the numbers of threads or ranks.
  func blocks(_ batch: [Int]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    for k in 1...batch.count {
      let cut =
        k == batch.count || batch[k] != batch[k - 1] + 1
        || batch[k] / Trainer.chunkFrames != batch[k - 1] / Trainer.chunkFrames
      if cut {
        out.append(start..<k)
        start = k
      }
    }
    return out
  }

  /// The rank (of `ranks`) that prepares and computes frame `index` of the training or
  /// validation set: chunk c of ``chunkFrames`` consecutive frames belongs to rank c mod N.
  static func owner(_ index: Int, ranks: Int) -> Int { (index / Trainer.chunkFrames) % ranks }

  /// The rank that computes frame `index` of this fit.
  func owner(_ index: Int) -> Int { Trainer.owner(index, ranks: communicator.size) }

  /// Loss, gradient and predictions of one mini-batch at θ: threads over this rank's
  /// blocks, ranks over chunks, sums in a fixed order (``blocks(_:)``).
  func batchGradient(
    _ batch: [Int], theta: [Double]
  ) -> (gradient: [Double], loss: Double, sums: ErrorSummary) {
    let atoms = batch.reduce(0) { $0 + train.atomCounts[$1] }
    let cE = config.energyWeight / Double(batch.count)
    let cF = config.forceWeight / Double(3 * atoms)
    let cS = config.stressWeight / Double(9 * batch.count)
    let all = blocks(batch)
    let mine = all.indices.filter { owner(batch[all[$0].lowerBound]) == communicator.rank }
    let heads = max(1, headIndices.count)
    let n = layout.count
    // Per block: loss, the packed error summary, the gradient.
    let width = 1 + ErrorSummary.packedCount + n
    let t = max(1, min(threads, mine.count))
    let shared = heads > 1 && sharedCommitteePasses && workers[0].sharesCommitteePasses
    let perThread = parallelMap(t) { w -> [(Int, [Double])] in
      let myBlocks = stride(from: w, to: mine.count, by: t).map { mine[$0] }
      var out = myBlocks.map { ($0, [Double](repeating: 0, count: width)) }
      var sums = [ErrorSummary](repeating: ErrorSummary(), count: myBlocks.count)
      let o = 1 + ErrorSummary.packedCount  // where a block's gradient starts
      if shared {
        // All heads in one forward and one backward pass through the filters.
        let worker = self.workers[w]
        worker.update(theta)
        for (q, b) in myBlocks.enumerated() {
          var loss = 0.0
          out[q].1.withUnsafeMutableBufferPointer { buffer in
            let g = buffer.baseAddress! + o
            for position in all[b] {
              let s = self.train[batch[position]]
              let counts = self.bootstrapCounts.map { $0[batch[position]] }
              for p in worker.accumulateCommittee(
                s, energyCoefficient: cE * s.weight, forceCoefficient: cF * s.weight,
                stressCoefficient: cS * s.weight, headWeights: counts.isEmpty ? nil : counts,
                gradient: g)
              {
                loss += p.energyLoss + p.forceLoss + p.stressLoss
                sums[q].add(s, p)
              }
            }
            worker.flush(into: g)
          }
          out[q].1[0] = loss / Double(heads)
        }
      } else {
        for h in 0..<heads {
          // One head at a time: its single-head model sees the shared splines and biases.
          let worker = heads == 1 ? self.workers[w] : self.headWorkers[w]
          let map = heads == 1 ? [] : self.headIndices[h]
          worker.update(heads == 1 ? theta : map.map { theta[$0] })
          var gh = [Double](repeating: 0, count: worker.layout.count)
          for (q, b) in myBlocks.enumerated() {
            for k in gh.indices { gh[k] = 0 }
            var loss = 0.0
            gh.withUnsafeMutableBufferPointer { buffer in
              for position in all[b] {
                let s = self.train[batch[position]]
                let m = self.bootstrapCounts.isEmpty ? 1 : self.bootstrapCounts[h][batch[position]]
                let p = worker.accumulate(
                  s, energyCoefficient: m * cE * s.weight, forceCoefficient: m * cF * s.weight,
                  stressCoefficient: m * cS * s.weight, gradient: buffer.baseAddress!)
                loss += p.energyLoss + p.forceLoss + p.stressLoss
                sums[q].add(s, p)
              }
              worker.flush(into: buffer.baseAddress!)
            }
            out[q].1[0] += loss / Double(heads)
            if heads == 1 {
              for k in 0..<n { out[q].1[o + k] = gh[k] }
            } else {
              for (k, index) in map.enumerated() { out[q].1[o + index] += gh[k] / Double(heads) }
            }
          }
        }
      }
      for q in out.indices {
        out[q].1.replaceSubrange(1..<(1 + ErrorSummary.packedCount), with: sums[q].packed)
      }
      return out
    }
    // This rank's blocks, then every rank's, then the sum in block order.
    var local: [Double] = [interruptRequested != 0 ? 1 : 0]
    for (b, v) in perThread.flatMap({ $0 }).sorted(by: { $0.0 < $1.0 }) { local += [Double(b)] + v }
    var byBlock = [ArraySlice<Double>?](repeating: nil, count: all.count)
    let gathered = communicator.allGather(local)
    interruptedAnywhere = gathered.contains { $0[0] != 0 }
    for part in gathered {
      var k = 1
      while k < part.count {
        byBlock[Int(part[k])] = part[(k + 1)..<(k + 1 + width)]
        k += 1 + width
      }
    }
    var total = [Double](repeating: 0, count: n)
    var loss = 0.0
    var es = ErrorSummary()
    for case let v? in byBlock {
      let o = v.startIndex
      loss += v[o]
      es.merge(ErrorSummary(packed: v[(o + 1)..<(o + 1 + ErrorSummary.packedCount)]))
      let g = o + 1 + ErrorSummary.packedCount
      for k in 0..<n { total[k] += v[g + k] }
    }
    // L2 on network weights (a committee's loss is the mean over heads of each head's, L2 included).
    let l2 = config.l2 / Double(heads)
    for k in total.indices where mask[k] != 0 {
      total[k] += 2 * l2 * theta[k]
      loss += l2 * theta[k] * theta[k]
    }
    // Pinned biases do not move: zero gradient (AMSGrad and L-BFGS steps are then 0 there).
    for k in pinned { total[k] = 0 }
    return (total, loss, es)
  }

  /// Full-batch training loss and its gradient at θ (the L-BFGS objective); for a
  /// committee, the mean over heads of each head's loss.
  public func trainingLossAndGradient(_ theta: [Double]) -> (loss: Double, gradient: [Double]) {
    let r = batchGradient(Array(train.indices), theta: theta)
    return (r.loss, r.gradient)
  }

  /// Errors of θ on `frames`: predictions in parallel (threads, and ranks by chunk), the
  /// deviations summed in frame order, so the numbers equal those of `snnp eval` on an
  /// exported file exactly, on any number of ranks.
  public func errors(of theta: [Double], on frames: FrameSet) -> ErrorSummary {
    let mine = frames.indices.filter { owner($0) == communicator.rank }
    let t = max(1, min(threads, mine.count))
    let chunk = (mine.count + t - 1) / t
    let deviations = parallelMap(t) { w -> [(Int, [Double])] in
      let worker = self.workers[w]
      worker.update(theta)
      return ((w * chunk)..<min((w + 1) * chunk, mine.count)).map {
        let s = frames[mine[$0]]
        return (mine[$0], ErrorSummary.deviations(s, worker.predict(s)))
      }
    }.flatMap { $0 }
    var total = ErrorSummary()
    for d in communicator.gatherFrames(deviations, count: frames.count) { total.add(deviations: d) }
    return total
  }

  /// Header of log.csv.
  public static let logHeader =
    "epoch,lr,train_loss,train_e_mae,train_e_rmse,train_f_mae,train_f_rmse,val_loss,val_e_mae,val_e_rmse,val_f_mae,val_f_rmse,seconds"

  /// Runs the remaining epochs. Writes last.ckpt and best.ckpt and log.csv in the
  /// output directory after every epoch, and last.ckpt when interrupted.
  /// - Returns: false when interrupted (SIGINT), true when all epochs ran.
  public func run(progress: (String) -> Void) throws -> Bool {
    let out = config.output
    interruptRequested = 0
    signal(SIGINT) { _ in interruptRequested = 1 }
    defer { signal(SIGINT, SIG_DFL) }
    var theta = state.theta
    while state.epoch < config.totalEpochs {
      let epoch = state.epoch
      let lr = learningRate(epoch: epoch)
      let lbfgs = config.usesLBFGS(epoch: epoch)
      if epoch == config.epochs && config.optimizer != .lbfgs && state.batch == 0
        && state.lbfgs.iterations == 0
      {
        // The polish starts where validation was best, not where the schedule ended.
        theta = state.bestTheta
        progress(
          "polishing with full-batch L-BFGS from epoch \(state.bestEpoch) (best on validation) for \(config.polishEpochs) iterations"
        )
      }
      let order =
        lbfgs || config.optimizer == .leastSquares ? [Array(train.indices)] : batches(epoch: epoch)
      var sums = state.partialEpoch
      let started = Date()
      for b in state.batch..<order.count {
        if config.optimizer == .leastSquares {
          // One solve to the minimum (LeastSquares); the epoch reports the errors there.
          let pinnedSet = Set(pinned)
          theta = try LeastSquares.minimize(
            theta, free: (0..<theta.count).filter { !pinnedSet.contains($0) },
            progress: progress, gradient: { self.trainingLossAndGradient($0).gradient })
        }
        // (After a least-squares solve θ is final: this only measures the training errors.)
        let (gradient, loss, es) = batchGradient(order[b], theta: theta)
        if lbfgs {
          let batch = order[b]
          if state.lbfgs.step(
            &theta, loss: loss, gradient: gradient, initialStep: lr,
            evaluate: {
              let r = self.batchGradient(batch, theta: $0)
              return (r.loss, r.gradient)
            }) == nil
          {
            progress(
              "L-BFGS found no decrease in epoch \(epoch + 1): the loss is at a minimum to round-off"
            )
          }
        } else if config.optimizer == .amsgrad {
          state.optimizer.update(&theta, gradient: gradient, lr: lr)
        }
        // Every rank holds the same θ and loss, so all stop here together (no MPI hang).
        if !loss.isFinite || theta.contains(where: { !$0.isFinite }) {
          throw FitError(
            "training diverged in epoch \(epoch + 1), batch \(b + 1): the \(loss.isFinite ? "parameters" : "training loss") became non-finite at learning rate \(lr); lower learning_rate, gamma, l2 or the loss weights\(epoch > 0 ? " (\(out)/best.ckpt and last.ckpt hold the last finite state)" : "")"
          )
        }
        sums.merge(es)
        state.batch = b + 1
        state.theta = theta
        state.partialEpoch = sums
        if interruptedAnywhere {
          state.seconds += Date().timeIntervalSince(started)
          if communicator.isRoot { try state.write(to: out + "/last.ckpt") }
          progress(
            "interrupted in epoch \(epoch + 1) after batch \(b + 1)/\(order.count); state saved to \(out)/last.ckpt (resume with --resume \(out)/last.ckpt)"
          )
          return false
        }
      }
      let seconds = Date().timeIntervalSince(started)
      state.seconds += seconds
      state.epoch += 1
      state.batch = 0
      state.partialEpoch = ErrorSummary()
      let trainErrors = sums.errors
      var row = [Double(epoch + 1), lr, sums.loss(config)] + trainErrors
      var valText = ""
      if state.epoch % config.validateEvery == 0 || state.epoch == config.epochs
        || state.epoch == config.totalEpochs
      {
        let v = errors(of: theta, on: validation)
        let vl = v.loss(config)
        row += [vl] + v.errors
        if vl < state.bestValidationLoss {
          state.bestValidationLoss = vl
          state.bestTheta = theta
          state.bestEpoch = state.epoch
          state.bestValidationErrors = v.errors
        }
        valText = String(
          format: "  val E %.2f F %.4f", 1000 * v.errors[0], v.errors[2])
      } else {
        row += [Double.nan, .nan, .nan, .nan, .nan]
      }
      row.append(seconds)
      state.log.append(row.map { $0.isNaN ? "" : "\($0)" }.joined(separator: ","))
      if communicator.isRoot {
        try state.write(to: out + "/last.ckpt")
        if state.bestEpoch == state.epoch { try state.write(to: out + "/best.ckpt") }
        try TextFile.writeAtomically(
          ([Trainer.logHeader] + state.log).joined(separator: "\n") + "\n", to: out + "/log.csv")
      }
      let perEpoch = state.seconds / Double(state.epoch)
      let eta = perEpoch * Double(config.totalEpochs - state.epoch)
      progress(
        String(
          format:
            "epoch %4d/%d  lr %.1e  loss %.5f  train E %.2f meV/atom F %.4f eV/A%@  %.2f s/epoch  ETA %@",
          // row[2]: the whole epoch's training loss, as in log.csv (also after a resume mid-epoch)
          state.epoch, config.totalEpochs, lr, row[2], 1000 * trainErrors[0], trainErrors[2],
          valText, seconds, Trainer.duration(eta)))
    }
    return true
  }

  static func duration(_ s: Double) -> String {
    if s < 90 { return String(format: "%.0fs", s) }
    if s < 5400 { return String(format: "%.0fm", s / 60) }
    return String(format: "%.1fh", s / 3600)
  }
}

/// Runs `body(0..<count)` on `count` threads and returns the results in index order.
func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
  let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
  slots.initialize(repeating: nil, count: count)
  defer {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
  withoutActuallyEscaping(body) { body in
    let box = UncheckedBox((body, slots))
    DispatchQueue.concurrentPerform(iterations: count) { k in box.value.1[k] = box.value.0(k) }
  }
  return (0..<count).map { slots[$0]! }
}

/// Hands values to Dispatch workers that each touch disjoint memory.
struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
