import Foundation
import Minter
import NATSKit
import NATSTestSupport

/// A nats-server in operator mode whose operator, system account and application account JWTs are minted
/// by Minter: `resolver: MEMORY`, `resolver_preload`, JetStream limits on the application account, and an
/// account signing key for the signing-key strategy.
public struct OperatorEnvironment: Sendable {
    public let server: NATSServer
    public let operatorKey: KeyPair
    public let systemAccount: KeyPair
    public let account: KeyPair
    public let signingKey: KeyPair
    public let nodeID: String
    public let nexus = "nexus"

    public static func start() async throws -> OperatorEnvironment {
        let operatorKey = try KeyPair.generate(.operator)
        let systemAccount = try KeyPair.generate(.account)
        let account = try KeyPair.generate(.account)
        let signingKey = try KeyPair.generate(.account)

        var operatorClaims = OperatorClaims(subject: operatorKey.publicKey, name: "nex-test-operator")
        operatorClaims.systemAccount = systemAccount.publicKey
        var systemClaims = AccountClaims(subject: systemAccount.publicKey, name: "SYS")
        systemClaims.limits.jetStream = .disabled
        var accountClaims = AccountClaims(subject: account.publicKey, name: "NEX")
        accountClaims.limits.jetStream = .unlimited
        accountClaims.signingKeys = [signingKey.publicKey]

        let config = OperatorModeConfig.memoryResolver(
            operatorJWT: try operatorClaims.encode(signedBy: operatorKey),
            systemAccount: systemAccount.publicKey,
            accounts: [
                systemAccount.publicKey: try systemClaims.encode(signedBy: operatorKey),
                account.publicKey: try accountClaims.encode(signedBy: operatorKey),
            ])
        let server = try await NATSServer.start(NATSServerOptions(jetstream: true, extraConfig: config))
        return OperatorEnvironment(server: server, operatorKey: operatorKey, systemAccount: systemAccount, account: account,
                                   signingKey: signingKey, nodeID: try KeyPair.generate(.server).publicKey)
    }

    /// The signing-key minter of this environment (signed by the account's signing key).
    public func minter(validity: Duration? = SigningKeyMinter.defaultValidity, clock: @escaping @Sendable () -> Date = { Date() },
                extra: [String: ExtraAllow] = [:], artifactBuckets: [String] = []) throws -> SigningKeyMinter {
        try SigningKeyMinter(signingSeed: signingKey.seed ?? "", rootAccount: account.publicKey, nodeID: nodeID,
                             nexus: nexus, servers: [server.url], validity: validity, workloadExtraAllow: extra,
                             artifactBuckets: artifactBuckets, clock: clock)
    }

    /// Connects with minted JWT credentials and their inbox prefix (fails fast: no reconnects).
    public func connect(_ credentials: MintedCredentials, name: String) async throws -> NatsConnection {
        try await connect(jwt: credentials.userJWT, seed: credentials.userSeed, name: name, inboxPrefix: credentials.inboxPrefix)
    }

    /// `inboxPrefix` empty = the default `_INBOX`.
    public func connect(jwt: String, seed: String, name: String, inboxPrefix: String = "") async throws -> NatsConnection {
        try await withDeadline(.seconds(10), "connect \(name)") { [server] in
            try await NatsConnection.connect(NatsConnectOptions(
                servers: [server.url], name: name, auth: .jwt(jwt: jwt, seed: seed), maxReconnects: 0,
                connectTimeout: .seconds(2), inboxPrefix: inboxPrefix))
        }
    }

    /// Waits until the server has logged a permission violation: `kind` is `Publish` or `Subscription`,
    /// `user` the public key of the offending user.
    public func expectServerLogged(_ kind: String, user: String, subject: String) async throws {
        let line = "\(kind) Violation - JWT User \"\(user)\", Subject \"\(subject)\""
        try await eventually("server log line \(line)", timeout: .seconds(5)) { [server] in
            ((try? String(contentsOf: server.logFile, encoding: .utf8)) ?? "").contains(line)
        }
    }

    /// A user of the account without any permission limits (plays the node and other observers).
    public func connectUnrestricted(name: String = "observer", inboxPrefix: String = "") async throws -> NatsConnection {
        let user = try KeyPair.generate(.user)
        let jwt = try UserClaims(subject: user.publicKey, name: name).encode(signedBy: account)
        return try await connect(jwt: jwt, seed: user.seed ?? "", name: name, inboxPrefix: inboxPrefix)
    }
}

/// Watches a connection's asynchronous errors (permission violations) from the moment it is created.
public final class ViolationWatch: Sendable {
    private let events: AsyncStream<NatsConnectionEvent>

    public init(_ connection: NatsConnection) {
        events = connection.events()
    }

    /// The next `.notPermitted` error (the client's side of the server's `-ERR 'Permissions Violation …'`),
    /// within `timeout`.
    public func next(timeout: Duration = .seconds(5)) async throws -> NatsError {
        try await withDeadline(timeout, "permission violation") { [events] in
            for await event in events {
                if case .error(let error, _) = event, error.kind == .notPermitted { return error }
            }
            throw EndedEarly(description: "event stream ended without a permission violation")
        }
    }
}

/// Collects messages from `subscription` until one satisfies `last`, within `timeout`.
public func collect(_ subscription: NatsSubscription, until last: @escaping @Sendable (NatsMessage) -> Bool,
             timeout: Duration = .seconds(5)) async throws -> [NatsMessage] {
    try await withDeadline(timeout, "messages on \(subscription.subject)") {
        var received: [NatsMessage] = []
        for await message in subscription {
            received.append(message)
            if last(message) { return received }
        }
        throw EndedEarly(description: "subscription \(subscription.subject) ended early")
    }
}

/// Drains `subscription` and returns what it had received (definitive once drain completes).
public func drainAndCollect(_ subscription: NatsSubscription) async throws -> [NatsMessage] {
    await subscription.drain()
    return try await withDeadline(.seconds(5), "drained \(subscription.subject)") {
        var received: [NatsMessage] = []
        for await message in subscription { received.append(message) }
        return received
    }
}

public struct EndedEarly: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
