import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of a TCP connection from this host: the uid owning the client's socket, read from
/// `/proc/net/tcp` and `/proc/net/tcp6` (the entry whose local address is the peer's address and port). nil for
/// a peer on another host, or when `/proc` does not tell.
enum LocalPeer {
    static func uid(host: String, port: UInt16) -> UInt32? {
        var host = host
        if host.hasPrefix("::ffff:"), host.contains(".") { host = String(host.dropFirst("::ffff:".count)) }
        let portHex = String(format: "%04X", port)
        var candidates: [(table: String, address: String)] = []
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            let word = String(format: "%08X", v4.s_addr)
            // A v4 client of a v6 listener shows as ::ffff:a.b.c.d in tcp6.
            candidates = [("tcp", word), ("tcp6", "0000000000000000FFFF0000" + word)]
        } else {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, host, &v6) == 1 else { return nil }
            let words = withUnsafeBytes(of: v6) { raw in
                (0..<4).map { raw.load(fromByteOffset: $0 * 4, as: UInt32.self) }
            }
            candidates = [("tcp6", words.map { String(format: "%08X", $0) }.joined())]
        }
        for (table, address) in candidates {
            guard let text = ProcFile.read("/proc/net/\(table)") else { continue }
            let wanted = "\(address):\(portHex)"
            for line in text.split(separator: "\n").dropFirst() {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid …
                // Only an established socket (st 01) is the peer: an earlier connection from the same port that
                // lingers in TIME_WAIT is listed with uid 0, which would pass for root.
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count > 7, fields[1] == wanted, fields[3] == "01", let uid = UInt32(fields[7]) { return uid }
            }
        }
        return nil
    }
}

extension LocalPeer {
    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6).
    static func isLoopback(_ host: String) -> Bool {
        var host = host
        if host.hasPrefix("::ffff:"), host.contains(".") { host = String(host.dropFirst("::ffff:".count)) }
        return host.hasPrefix("127.") || host == "::1" || host == "0:0:0:0:0:0:0:1"
    }
}

/// Reads a `/proc` file to its end. (`String(contentsOfFile:)` trusts the size a procfs file reports, 0, and reads
/// one page: a long `/proc/net/tcp` would be cut short.)
enum ProcFile {
    static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
