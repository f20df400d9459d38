#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the node's HTTP endpoint listens: `HOST:PORT` with an IPv4 address, `[IPv6]`, `localhost` (127.0.0.1) or
/// nothing (every IPv4 interface) as host, and a port 0–65535 (0: any free port).
public struct NodeHTTPAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Family: Sendable, Equatable { case ipv4, ipv6 }

    /// The numeric address (`127.0.0.1`, `::1`, `0.0.0.0`).
    public let host: String
    public let port: UInt16
    public let family: Family

    public static let `default` = NodeHTTPAddress(host: "127.0.0.1", port: 9095, family: .ipv4)

    private init(host: String, port: UInt16, family: Family) {
        self.host = host
        self.port = port
        self.family = family
    }

    /// Why a text is not an address.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String {
            "\"\(text)\" is not HOST:PORT (\(reason); the host is an IPv4 address, [IPv6], localhost or empty for every interface)"
        }
    }

    public init(parsing text: String) throws(ParseError) {
        func fail(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        guard let colon = text.lastIndex(of: ":") else { throw fail("no port") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = UInt16(portText) else {
            throw fail("the port must be a number from 0 to 65535")
        }
        var family = Family.ipv4
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
            host = String(host.dropFirst().dropLast())
            family = .ipv6
            guard Self.isNumeric(host, family: AF_INET6) else { throw fail("\(host) is not an IPv6 address") }
        } else if host.isEmpty {
            host = "0.0.0.0"
        } else if host == "localhost" {
            host = "127.0.0.1"
        } else if !Self.isNumeric(host, family: AF_INET) {
            throw fail("\(host) is not an IPv4 address")
        }
        self.init(host: host, port: port, family: family)
    }

    private static func isNumeric(_ host: String, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return host.withCString { inet_pton(family, $0, &buffer) } == 1
    }

    public var description: String { family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
