import Minter
import NATSKit
import NexProtocol

/// A runtime that holds the seed of its `public_xkey`: the runner then asks the node (REGISTER header
/// ``NexHeader/sealedPayloads``) to seal `run_request` and the workload's seed and password to that key
/// (``SealedText``), and opens them before ``NexletRuntime/start(workloadID:request:replayed:)`` sees the
/// request, so the runtime gets the clear form either way. Nodes that do not seal (Go) send the clear form.
public protocol NexletSealedPayloadRecipient: NexletRuntime {
    /// The key whose public half is `registration.publicXkey`; nil when there is none (nothing is asked for).
    var sealingKey: NexletXKey? { get }
}

enum SealedPayloads {
    /// The REGISTER headers of `runtime`: the sealed-payload request when it can open them.
    static func registerHeaders(for runtime: any NexletRuntime) -> NatsHeaders {
        var headers = NatsHeaders()
        if let key = (runtime as? any NexletSealedPayloadRecipient)?.sealingKey, key.publicKey == runtime.registration.publicXkey {
            headers.set(NexHeader.sealedPayloads, NexHeader.sealedPayloadsV1)
        }
        return headers
    }

    /// `request` with every sealed field opened with the runtime's key (unchanged for runtimes without one).
    static func open(_ request: AgentStartWorkloadRequest, for runtime: any NexletRuntime) throws(NexletError) -> AgentStartWorkloadRequest {
        guard let key = (runtime as? any NexletSealedPayloadRecipient)?.sealingKey else { return request }
        var opened = request
        do {
            opened.request.runRequest = try key.openIfSealed(request.request.runRequest)
            opened.workloadCreds.natsUserSeed = try key.openIfSealed(request.workloadCreds.natsUserSeed)
            opened.workloadCreds.natsUserPassword = try key.openIfSealed(request.workloadCreds.natsUserPassword)
        } catch {
            throw .failed("cannot open the sealed start request with this nexlet's xkey: \(error)")
        }
        return opened
    }
}
