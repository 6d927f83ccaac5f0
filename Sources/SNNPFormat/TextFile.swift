#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-file reads and atomic writes without Foundation (the kernel library
/// that LAMMPS loads stays small).
public enum TextFile {
  /// Reads a UTF-8 text file.
  /// - Throws: ``FileError`` naming the path and the system's reason.
  public static func read(_ path: String) throws -> String {
    guard let fp = fopen(path, "rb") else {
      throw FileError("\(path): cannot open for reading: \(String(cString: strerror(errno)))")
    }
    defer { fclose(fp) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = fread(&buffer, 1, buffer.count, fp)
      if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
      if n < buffer.count {
        if ferror(fp) != 0 {
          throw FileError("\(path): read error: \(String(cString: strerror(errno)))")
        }
        break
      }
    }
    return normalized(String(decoding: bytes, as: UTF8.self))
  }

  /// `text` without a leading UTF-8 byte-order mark and with Windows (CRLF) and
  /// old Mac (CR) line endings turned into LF, so every reader sees one line per
  /// "\n" (Swift treats "\r\n" as a single Character, which `split(separator: "\n")`
  /// would not split at).
  public static func normalized(_ text: String) -> String {
    var t = Substring(text)
    if t.unicodeScalars.first == "\u{FEFF}" { t = Substring(t.unicodeScalars.dropFirst()) }
    guard t.utf8.contains(13) else { return t.count == text.count ? text : String(t) }
    var out = String.UnicodeScalarView()
    var previousCR = false
    for c in t.unicodeScalars {
      if c == "\r" {
        out.append("\n")
        previousCR = true
        continue
      }
      if !(c == "\n" && previousCR) { out.append(c) }
      previousCR = false
    }
    return String(out)
  }

  /// Writes `text` to `path` atomically: a temporary file in the same directory
  /// is written, flushed to disk and renamed over `path`, so a crash leaves
  /// either the old file or the new one, never a partial file.
  /// - Throws: ``FileError`` naming the path and the system's reason.
  public static func writeAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".tmp.\(getpid())"
    guard let fp = fopen(temporary, "wb") else {
      throw FileError(
        "\(path): cannot write (temporary file \(temporary)): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    let written = bytes.isEmpty ? 0 : fwrite(bytes, 1, bytes.count, fp)
    let flushed = fflush(fp) == 0 && fsync(fileno(fp)) == 0
    fclose(fp)
    guard written == bytes.count, flushed else {
      unlink(temporary)
      throw FileError("\(path): write failed: \(String(cString: strerror(errno)))")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw FileError("\(path): cannot replace file: \(reason)")
    }
  }
}

/// An I/O failure with a message that names the file.
public struct FileError: Error, CustomStringConvertible, Equatable {
  /// The message.
  public let description: String
  /// Creates an error.
  public init(_ description: String) { self.description = description }
}
