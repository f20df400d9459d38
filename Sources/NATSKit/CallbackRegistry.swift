import CNats
import Foundation
import Synchronization

/// What the connection-level C callbacks need. Looked up by an integer token rather than passed as a
/// pointer, so that a callback arriving after the connection is gone finds nothing instead of freed memory.
final class ConnectionCallbacks: Sendable {
    let events = EventBroadcaster()
    let jwt: String?
    let seed: String?

    init(jwt: String?, seed: String?) {
        self.jwt = jwt
        self.seed = seed
    }
}

enum CallbackRegistry {
    private static let table = Mutex<(next: Int, entries: [Int: ConnectionCallbacks])>((1, [:]))

    static func register(_ callbacks: ConnectionCallbacks) -> Int {
        table.withLock { table in
            let token = table.next
            table.next += 1
            table.entries[token] = callbacks
            return token
        }
    }

    static func unregister(_ token: Int) {
        _ = table.withLock { $0.entries.removeValue(forKey: token) }
    }

    static func lookup(_ closure: UnsafeMutableRawPointer?) -> ConnectionCallbacks? {
        let token = Int(bitPattern: closure)
        return table.withLock { $0.entries[token] }
    }

    static func closure(for token: Int) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: token)
    }
}

// MARK: - C callbacks (non-capturing, so they convert to C function pointers)

let onDisconnected: natsConnectionHandler = { _, closure in
    CallbackRegistry.lookup(closure)?.events.emit(.disconnected)
}

let onReconnected: natsConnectionHandler = { _, closure in
    CallbackRegistry.lookup(closure)?.events.emit(.reconnected)
}

let onClosed: natsConnectionHandler = { _, closure in
    CallbackRegistry.lookup(closure)?.events.emit(.closed)
}

let onAsyncError: natsErrHandler = { _, subscription, status, closure in
    guard let callbacks = CallbackRegistry.lookup(closure) else { return }
    let subject = subscription.flatMap { natsSubscription_GetSubject($0) }.map { String(cString: $0) }
    let text = natsStatus_GetText(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
    let error = NatsError(kind: NatsError.kind(of: status), status: Int(status.rawValue), message: text)
    callbacks.events.emit(.error(error, subject: subject))
}

/// Returns a fresh copy of the user JWT (nats.c frees it after every call, and calls again on reconnect).
let provideUserJWT: natsUserJWTHandler = { userJWT, customErrTxt, closure in
    guard let jwt = CallbackRegistry.lookup(closure)?.jwt, let copy = strdup(jwt) else {
        customErrTxt?.pointee = strdup("no user JWT available")
        return NATS_ERR
    }
    userJWT?.pointee = copy
    return NATS_OK
}

/// Signs the server's nonce with the user's seed (nats.c's own ed25519; the signature is freed by nats.c).
let signNonce: natsSignatureHandler = { customErrTxt, signature, signatureLength, nonce, closure in
    guard let seed = CallbackRegistry.lookup(closure)?.seed, let nonce else {
        customErrTxt?.pointee = strdup("no seed available to sign the server nonce")
        return NATS_ERR
    }
    let status = nats_Sign(seed, nonce, signature, signatureLength)
    if status != NATS_OK {
        customErrTxt?.pointee = strdup("could not sign the server nonce with the given seed")
    }
    return status
}
