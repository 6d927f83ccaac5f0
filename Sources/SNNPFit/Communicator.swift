import COpenMPI
import Foundation

/// The processes of one fit: a single process, or the ranks of MPI_COMM_WORLD when
/// `snnp fit` runs under mpirun. Every rank holds the whole model and data set and
/// computes the loss and gradient of its share of each batch; the shares are
/// gathered and summed in a fixed order, so a fit gives the same numbers on any
/// number of ranks and threads (docs/fitting.md, "Fitting on several machines").
public final class FitCommunicator: @unchecked Sendable {
  /// This process's rank (0-based).
  public let rank: Int
  /// Number of ranks.
  public let size: Int
  let usesMPI: Bool

  init(rank: Int, size: Int, usesMPI: Bool) {
    self.rank = rank
    self.size = size
    self.usesMPI = usesMPI
  }

  /// One process, no MPI.
  public static let single = FitCommunicator(rank: 0, size: 1, usesMPI: false)

  /// MPI_COMM_WORLD when this process was started by mpirun (Open MPI, MPICH or
  /// Slurm set the environment variables checked here), else ``single``.
  public static func fromEnvironment() -> FitCommunicator {
    let env = ProcessInfo.processInfo.environment
    let launched = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"].contains { env[$0] != nil }
    guard launched else { return .single }
    var rank: Int32 = 0
    let size = snnp_mpi_init(&rank)
    return FitCommunicator(rank: Int(rank), size: Int(size), usesMPI: size > 1)
  }

  /// Rank 0 writes files and prints progress.
  public var isRoot: Bool { rank == 0 }

  /// Every rank's array, indexed by rank (the arrays may differ in length).
  public func allGather(_ local: [Double]) -> [[Double]] {
    guard usesMPI else { return [local] }
    var counts = [Int32](repeating: 0, count: size)
    _ = counts.withUnsafeMutableBufferPointer {
      snnp_mpi_allgather_int(Int32(local.count), $0.baseAddress!)
    }
    var displacements = [Int32](repeating: 0, count: size)
    for r in 1..<size { displacements[r] = displacements[r - 1] + counts[r - 1] }
    var all = [Double](repeating: 0, count: Int(counts.reduce(0, +)))
    _ = local.withUnsafeBufferPointer { lp in
      all.withUnsafeMutableBufferPointer { ap in
        counts.withUnsafeBufferPointer { cp in
          displacements.withUnsafeBufferPointer { dp in
            snnp_mpi_allgatherv(
              lp.baseAddress, Int32(local.count), ap.baseAddress, cp.baseAddress, dp.baseAddress)
          }
        }
      }
    }
    return (0..<size).map { r in
      Array(all[Int(displacements[r])..<Int(displacements[r] + counts[r])])
    }
  }

  /// Every rank's integer, indexed by rank.
  public func allGather(_ value: Int) -> [Int] {
    guard usesMPI else { return [value] }
    var out = [Int32](repeating: 0, count: size)
    _ = out.withUnsafeMutableBufferPointer {
      snnp_mpi_allgather_int(Int32(clamping: value), $0.baseAddress!)
    }
    return out.map(Int.init)
  }

  /// Rank 0's text, on every rank.
  public func broadcast(_ text: String) -> String {
    guard usesMPI else { return text }
    let length = allGather(text.utf8.count)[0]
    var bytes = [CChar](repeating: 0, count: length + 1)
    if isRoot { for (k, b) in text.utf8.enumerated() { bytes[k] = CChar(bitPattern: b) } }
    _ = bytes.withUnsafeMutableBufferPointer {
      snnp_mpi_bcast_bytes($0.baseAddress!, Int32(length))
    }
    return String(decoding: bytes.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Ends every rank of the run (after a failure on one of them, so none waits forever).
  public func abort(_ code: Int32) -> Never {
    if usesMPI { snnp_mpi_abort(code) }
    exit(code)
  }

  /// Shuts MPI down at the end of a run.
  public func finalize() {
    if usesMPI { snnp_mpi_finalize() }
  }
}
