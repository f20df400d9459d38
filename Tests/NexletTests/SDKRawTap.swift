import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal NATS client on a plain TCP socket that subscribes to one subject and returns the raw bytes of
/// the next message (`HMSG … NATS/1.0\r\n<headers>\r\n\r\n<payload>`). It checks what goes over the wire
/// independently of nats.c, whose 3.4.1 header parser mangles empty header values (the value swallows the
/// following header line), which is exactly what the feed headers use (`synadia.com/group: ""`).
final class RawNatsTap: @unchecked Sendable {
    struct Message: Equatable {
        var subject: String
        /// Header lines after `NATS/1.0`, in wire order, as `name: value` text.
        var headerLines: [String]
        var payload: Data

        /// The headers parsed the way nats.go does: `name: value`, value trimmed of surrounding spaces.
        var headers: [String: [String]] {
            var result: [String: [String]] = [:]
            for line in headerLines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                result[name, default: []].append(value)
            }
            return result
        }
    }

    private let fd: Int32
    private var buffer = Data()

    /// Connects to `port` on 127.0.0.1 and subscribes to `subject`; returns once the server confirmed (PONG).
    init(port: Int, subject: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError.unexpected("socket() failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw TestError.unexpected("connect() failed") }
        _ = try readLine()  // INFO
        try send("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true}\r\nSUB \(subject) 1\r\nPING\r\n")
        while try readLine() != "PONG" {}
    }

    deinit { close(fd) }

    /// The next `count` messages, read on a dispatch thread (the reads block, at most 5 s each).
    func next(_ count: Int) async throws -> [Message] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try (0..<count).map { _ in try self.next() } })
            }
        }
    }

    /// The next message (blocking, at most 5 s per read).
    func next() throws -> Message {
        while true {
            let line = try readLine()
            if line == "PING" { try send("PONG\r\n"); continue }
            let parts = line.split(separator: " ").map(String.init)
            guard let verb = parts.first else { continue }
            if verb == "MSG", parts.count >= 4, let size = Int(parts[parts.count - 1]) {
                let body = try read(size + 2).prefix(size)
                return Message(subject: parts[1], headerLines: [], payload: Data(body))
            }
            if verb == "HMSG", parts.count >= 5, let headerSize = Int(parts[parts.count - 2]), let total = Int(parts[parts.count - 1]) {
                let block = try read(total + 2)
                let headerText = String(decoding: block.prefix(headerSize), as: UTF8.self)
                var lines = headerText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                if lines.first?.hasPrefix("NATS/1.0") == true { lines.removeFirst() }
                return Message(subject: parts[1], headerLines: lines, payload: Data(block.dropFirst(headerSize).prefix(total - headerSize)))
            }
        }
    }

    private func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, 0) == bytes.count else { throw TestError.unexpected("send() failed") }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { throw TestError.unexpected("raw NATS tap: nothing received within 5 s") }
        buffer.append(contentsOf: chunk.prefix(count))
    }

    private func readLine() throws -> String {
        while true {
            if let range = buffer.range(of: Data("\r\n".utf8)) {
                let line = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex..<range.upperBound)
                return line
            }
            try fill()
        }
    }

    private func read(_ count: Int) throws -> Data {
        while buffer.count < count { try fill() }
        let chunk = buffer.prefix(count)
        buffer.removeSubrange(buffer.startIndex..<buffer.startIndex + count)
        return Data(chunk)
    }
}
