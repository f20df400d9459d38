import Foundation

/// Calls `body` with a C array of C strings that lives for the duration of the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>, Int32) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { UnsafePointer<CChar>($0) }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        // swiftlint-style note: `baseAddress` is non-nil for a non-empty array; an empty one uses a dummy slot.
        guard let base = buffer.baseAddress else {
            var empty: UnsafePointer<CChar>? = nil
            return try body(&empty, 0)
        }
        return try body(base, Int32(buffer.count))
    }
}

/// Calls `body` with the payload's bytes as the `const char *` / length pair nats.c wants.
func withPayload<R>(_ payload: Data, _ body: (UnsafePointer<CChar>?, Int32) throws -> R) rethrows -> R {
    try payload.withUnsafeBytes { raw in
        try body(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count))
    }
}
