import Foundation

/// NUID-style identifiers: 22 characters of `[0-9A-Za-z]` (a 12-character random prefix from the system
/// CSPRNG followed by a 10-character sequence that advances by a random step). Safe as a subject token and
/// free of `_`, so usable in KV state keys `<type>_<id>`. Generation is thread-safe and cheap (a lock and
/// a few arithmetic operations; the CSPRNG is only touched when the sequence wraps).
public final class NUID: @unchecked Sendable {
    /// Length of every id.
    public static let length = 22
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let prefixLength = 12
    static let sequenceLength = 10
    static let maxSequence: Int64 = 839_299_365_868_340_224  // 62^10
    static let minIncrement: Int64 = 33
    static let maxIncrement: Int64 = 333

    private let lock = NSLock()
    // Guarded by `lock`.
    private var prefix: [UInt8] = []
    private var sequence: Int64 = 0
    private var increment: Int64 = 0

    /// A generator with its own random prefix. Most callers want the shared ``next()``.
    public init() {
        randomize()
    }

    private static let shared = NUID()

    /// A fresh id from the process-wide generator.
    public static func next() -> String {
        shared.next()
    }

    /// A fresh id from this generator.
    public func next() -> String {
        var bytes = [UInt8](repeating: 0, count: Self.length)
        lock.lock()
        sequence += increment
        if sequence >= Self.maxSequence {
            randomize()
        }
        let value = sequence
        for index in 0..<Self.prefixLength {
            bytes[index] = prefix[index]
        }
        lock.unlock()
        var remaining = value
        for index in stride(from: Self.length - 1, through: Self.prefixLength, by: -1) {
            bytes[index] = Self.alphabet[Int(remaining % 62)]
            remaining /= 62
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// New random prefix, sequence start and step. Called with the lock held (or from `init`).
    private func randomize() {
        var random = SystemRandomNumberGenerator()
        prefix = (0..<Self.prefixLength).map { _ in Self.alphabet[Int.random(in: 0..<62, using: &random)] }
        sequence = Int64.random(in: 0..<Self.maxSequence, using: &random)
        increment = Int64.random(in: Self.minIncrement..<Self.maxIncrement, using: &random)
    }

    /// True for a string of NUID shape (22 characters of `[0-9A-Za-z]`).
    public static func isValid(_ id: String) -> Bool {
        id.utf8.count == length && id.utf8.allSatisfy { alphabet.contains($0) }
    }
}
