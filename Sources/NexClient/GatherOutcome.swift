import NATSKit
import NexProtocol

/// The result of a call that asks many nodes at once: what the nodes answered, and the errors some of them
/// sent instead, side by side. Partial success is normal (protocol.md §6.3): one node's error does not hide
/// the others' answers.
public struct GatherOutcome<Value: Sendable>: Sendable {
    /// What was collected (possibly empty).
    public var value: Value
    /// Errors from error replies, undecodable replies or a failed publish, in arrival order.
    public var errors: [NexError]
    /// Why collecting stopped.
    public var stopReason: ScatterGatherResult.StopReason

    public init(value: Value, errors: [NexError] = [], stopReason: ScatterGatherResult.StopReason) {
        self.value = value
        self.errors = errors
        self.stopReason = stopReason
    }

    /// True when no node reported an error.
    public var isComplete: Bool { errors.isEmpty }

    /// All errors as one error (as Go's `errors.Join`), nil when there were none.
    public var joinedError: NexErrorList? { errors.isEmpty ? nil : NexErrorList(errors) }

    /// The value, or the joined error when any node reported one.
    public func get() throws(NexErrorList) -> Value {
        if let joinedError { throw joinedError }
        return value
    }
}

/// Several ``NexProtocol/NexError``s reported by one call (Go's joined error). Its description is the errors'
/// texts, one per line.
public struct NexErrorList: Error, Sendable, Equatable, CustomStringConvertible {
    public let errors: [NexError]

    public init(_ errors: [NexError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }

    /// One ``NexProtocol/NexError`` standing for the list: the error itself when there is one, else the first
    /// error's id, status and friendly body with all texts joined.
    public var collapsed: NexError {
        guard let first = errors.first else {
            return NexError.internalError("no error")
        }
        if errors.count == 1 { return first }
        return NexError(id: first.id, error: description, body: first.body, status: first.status)
    }
}
