import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP answer as the tests read it.
public struct HTTPReply: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: String
}

public struct HTTPGetError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// `GET path` over HTTP/1.0 on 127.0.0.1:`port`, read to the end (a plain socket client of its own, independent of
/// the server's library). Runs on a dispatch thread, with send and receive timeouts of `timeout`; a refused
/// connection throws.
public func httpGet(port: Int, path: String, timeout: Duration = .seconds(10)) async throws -> HTTPReply {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try blockingGet(port: port, path: path, timeout: timeout) })
        }
    }
}

private func blockingGet(port: Int, path: String, timeout: Duration) throws -> HTTPReply {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HTTPGetError(description: "socket: errno \(errno)") }
    defer { close(fd) }
    var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw HTTPGetError(description: "connect to 127.0.0.1:\(port): errno \(errno)") }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
    var sent = 0
    while sent < request.count {
        let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written > 0 else { throw HTTPGetError(description: "send: errno \(errno)") }
        sent += written
    }
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { break }
        guard count > 0 else { throw HTTPGetError(description: "recv: errno \(errno)") }
        received += chunk[..<count]
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { throw HTTPGetError(description: "no header end in \(text.prefix(200))") }
    let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
    let statusParts = head.first?.split(separator: " ") ?? []
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw HTTPGetError(description: "bad status line \(head.first ?? "")") }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPReply(status: status, headers: headers, body: String(text[split.upperBound...]))
}
