import Foundation
import NATSKit
import NexProtocol

/// The raw result of one scatter-gather call.
struct GatheredReplies: Sendable {
    var replies: [NatsMessage]
    var stopReason: ScatterGatherResult.StopReason
    /// Set when the request could not be published (the only transport error a gather has).
    var publishError: NexError?

    /// Decodes every reply as `T`, sorting error replies and undecodable bodies into `errors`.
    func decodeAll<T: Decodable>(_ type: T.Type, what: String) -> (items: [T], errors: [NexError]) {
        var items: [T] = []
        var errors: [NexError] = publishError.map { [$0] } ?? []
        for reply in replies {
            switch ReplyDecoder.decode(type, from: reply, what: what) {
            case .success(let item): items.append(item)
            case .failure(let error): errors.append(error)
            }
        }
        return (items, errors)
    }
}

/// What a single request ended with, short of a reply.
enum SingleRequestFailure: Error {
    case noResponders
    case timeout
    case transport(any Error)
}

extension NexClient {
    /// Publishes `payload` on `subject` and gathers replies until `policy` (or `stopWhen`) says stop.
    /// Never throws: silence and no-responders are empty results, a publish failure is `publishError`.
    func gather(
        _ subject: String, payload: Data, headers: NatsHeaders = NatsHeaders(), policy: GatherPolicy, what: String,
        stopWhen: (@Sendable (NatsMessage, Int) -> Bool)? = nil
    ) async -> GatheredReplies {
        let options = ScatterGatherOptions(
            firstReplyTimeout: policy.firstReplyTimeout, stall: policy.stall, maxMessages: nil,
            totalTimeout: policy.totalTimeout, stopWhen: stopWhen)
        do {
            let result = try await connection.requestMany(subject, payload: payload, headers: headers, options: options)
            return GatheredReplies(replies: result.replies, stopReason: result.stopReason)
        } catch {
            return GatheredReplies(
                replies: [], stopReason: .noReplies,
                publishError: .internalError("failed to request \(what): \(error)", body: "failed to request \(what)"))
        }
    }

    /// One request and its first reply, with the failure modes the callers tell apart. Rethrows
    /// `CancellationError`.
    func requestOne(_ subject: String, payload: Data, timeout: Duration) async throws -> Result<NatsMessage, SingleRequestFailure> {
        do {
            return .success(try await connection.request(subject, payload: payload, timeout: timeout))
        } catch let error as NatsError where error.kind == .noResponders {
            return .failure(.noResponders)
        } catch let error as NatsError where error.kind == .timeout {
            return .failure(.timeout)
        } catch let error as CancellationError {
            throw error
        } catch {
            return .failure(.transport(error))
        }
    }
}
