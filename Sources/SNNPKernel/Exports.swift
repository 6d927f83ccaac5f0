import CSNNPKernel
import SNNPCore
import SNNPFormat

// The C ABI declared in Sources/CSNNPKernel/include/snnp_kernel.h. Each function
// converts between C and Swift and never traps: failures become status codes
// with a message.

@_cdecl("snnp_abi_version")
public func exportedABIVersion() -> Int32 { Int32(SNNP_ABI_VERSION) }

@_cdecl("snnp_model_load")
public func exportedModelLoad(
  _ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
  _ errbuf: UnsafeMutablePointer<CChar>?, _ errlen: Int
) -> Int32 {
  out?.pointee = nil
  guard let path, let out else {
    copyMessage("snnp_model_load: path and out must not be NULL", errbuf, errlen)
    return Int32(SNNP_ERROR_ARGUMENT.rawValue)
  }
  do {
    let file = try PotentialFile.read(path: String(cString: path))
    let handle = ModelHandle(file.potential)
    out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
    return Int32(SNNP_OK.rawValue)
  } catch let e as FileError {
    copyMessage(e.description, errbuf, errlen)
    return Int32(SNNP_ERROR_IO.rawValue)
  } catch let e as PotentialFileError {
    copyMessage(e.description, errbuf, errlen)
    return Int32(SNNP_ERROR_FORMAT.rawValue)
  } catch {
    copyMessage("\(error)", errbuf, errlen)
    return Int32(SNNP_ERROR_INTERNAL.rawValue)
  }
}

@_cdecl("snnp_model_free")
public func exportedModelFree(_ model: OpaquePointer?) {
  guard let model else { return }
  Unmanaged<ModelHandle>.fromOpaque(UnsafeRawPointer(model)).release()
}

@_cdecl("snnp_model_cutoff")
public func exportedModelCutoff(_ model: OpaquePointer?) -> Double {
  ModelHandle.from(model)?.potential.cutoff ?? 0
}

@_cdecl("snnp_model_element_count")
public func exportedElementCount(_ model: OpaquePointer?) -> Int32 {
  Int32(ModelHandle.from(model)?.potential.elementCount ?? 0)
}

@_cdecl("snnp_model_filter_count")
public func exportedFilterCount(_ model: OpaquePointer?) -> Int32 {
  Int32(ModelHandle.from(model)?.potential.filterCount ?? 0)
}

@_cdecl("snnp_model_head_count")
public func exportedHeadCount(_ model: OpaquePointer?) -> Int32 {
  Int32(ModelHandle.from(model)?.potential.headCount ?? 0)
}

@_cdecl("snnp_model_has_domain")
public func exportedHasDomain(_ model: OpaquePointer?) -> Int32 {
  ModelHandle.from(model)?.potential.domain == nil ? 0 : 1
}

@_cdecl("snnp_model_element_name")
public func exportedElementName(
  _ model: OpaquePointer?, _ index: Int32, _ buf: UnsafeMutablePointer<CChar>?, _ len: Int
) -> Int32 {
  guard let h = ModelHandle.from(model), index >= 0, Int(index) < h.potential.elementCount, let buf
  else {
    return Int32(SNNP_ERROR_ARGUMENT.rawValue)
  }
  let name = h.potential.elements[Int(index)]
  guard name.utf8.count < len else { return Int32(SNNP_ERROR_ARGUMENT.rawValue) }
  copyMessage(name, buf, len)
  return Int32(SNNP_OK.rawValue)
}

@_cdecl("snnp_model_element_index")
public func exportedElementIndex(_ model: OpaquePointer?, _ name: UnsafePointer<CChar>?) -> Int32 {
  guard let h = ModelHandle.from(model), let name else { return -1 }
  return Int32(h.potential.elements.firstIndex(of: String(cString: name)) ?? -1)
}

@_cdecl("snnp_compute")
public func exportedCompute(
  _ model: OpaquePointer?, _ args: UnsafePointer<snnp_compute_args>?,
  _ errbuf: UnsafeMutablePointer<CChar>?, _ errlen: Int
) -> Int32 {
  guard let h = ModelHandle.from(model), let args else {
    copyMessage("snnp_compute: model and args must not be NULL", errbuf, errlen)
    return Int32(SNNP_ERROR_ARGUMENT.rawValue)
  }
  // ABI 2 callers pass the struct without the uncertainty fields: read only what they
  // gave (reading the full ABI 3 size would run past their struct) and leave the rest NULL.
  let size = args.pointee.struct_size
  let full = MemoryLayout<snnp_compute_args>.size
  let abi2 = MemoryLayout<snnp_compute_args>.offset(of: \snnp_compute_args.sigma)!
  guard size == full || size == abi2 else {
    copyMessage(
      "snnp_compute: struct_size is \(size), this library expects \(full) (ABI \(SNNP_ABI_VERSION)) or \(abi2) (ABI 2); rebuild the caller against this snnp_kernel.h",
      errbuf, errlen)
    return Int32(SNNP_ERROR_ARGUMENT.rawValue)
  }
  var a = snnp_compute_args()
  withUnsafeMutableBytes(of: &a) { dst in
    dst.copyMemory(from: UnsafeRawBufferPointer(start: args, count: size))
  }
  if let (status, message) = h.compute(a) {
    copyMessage(message, errbuf, errlen)
    return status
  }
  return Int32(SNNP_OK.rawValue)
}

nonisolated(unsafe) private let statusStrings: [UnsafePointer<CChar>] = [
  "ok", "I/O error", "malformed potential file", "invalid argument", "internal error",
  "unknown status",
].map { s in
  let p = UnsafeMutablePointer<CChar>.allocate(capacity: s.utf8.count + 1)
  copyMessage(s, p, s.utf8.count + 1)
  return UnsafePointer(p)
}

@_cdecl("snnp_status_string")
public func exportedStatusString(_ status: Int32) -> UnsafePointer<CChar> {
  statusStrings[(0...4).contains(status) ? Int(status) : 5]
}
