import Foundation
import Glibc
import NATSKit

/// A SHA-256 artifact digest, written `sha256:<64 hex digits>` in start requests.
public struct ArtifactDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// From the 32 digest bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses `sha256:<hex>` (hex digits in either case).
    public init(parsing text: String) throws(NativeStartError) {
        let prefix = "sha256:"
        guard text.lowercased().hasPrefix(prefix) else {
            throw .invalidRunRequest("\"digest\" must look like sha256:<64 hex digits>, got \"\(text)\"")
        }
        let hex = Array(text.dropFirst(prefix.count).utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index + 1 < hex.count {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { break }
            bytes.append(high << 4 | low)
            index += 2
        }
        guard hex.count == 64, bytes.count == 32 else {
            throw .invalidRunRequest("\"digest\" must look like sha256:<64 hex digits>, got \"\(text)\"")
        }
        self.bytes = bytes
    }

    /// Lowercase hex.
    public var hex: String { bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    /// `sha256:<hex>`.
    public var description: String { "sha256:\(hex)" }

    /// The digest of everything in the file at `path`, read in 1 MiB blocks. Blocking: call it off the
    /// cooperative pool.
    static func ofFile(atPath path: String, copyingTo destination: FileHandle? = nil) throws -> ArtifactDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw NativeStartError.artifactUnreadable(path: path, reason: "cannot open for reading")
        }
        defer { close(fd) }
        guard let digest = try ofDescriptor(fd, copyingTo: destination) else {
            throw NativeStartError.artifactUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        return digest
    }

    /// The digest of everything in the open file `fd`, read with `pread` from offset 0 (its file offset is left
    /// alone); nil when reading fails (errno set). Blocking.
    static func ofDescriptor(_ fd: Int32, copyingTo destination: FileHandle? = nil) throws -> ArtifactDigest? {
        var hasher = SHA256()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        while true {
            let count = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            block.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            try destination?.write(contentsOf: Data(block[..<count]))
            offset += off_t(count)
        }
        return ArtifactDigest(bytes: hasher.finalize())
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
