import Foundation
import Logging
import Minter
import NexProtocol

/// Seals the `run_request` of stored workload definitions (which carries the native nexlet's plain
/// `environment` and `argv`) to the node's state key, in ``SealedText`` form, so the state bucket holds no
/// secret in the clear. The key is derived one-way from the node's seed (``init(nodeSeed:)``): the same
/// `--node-seed` opens the state again after a restart, on any host, without a key file to keep; the bucket is
/// named after the node id anyway, so another seed never reads it.
public struct WorkloadStateSeal: Sendable {
    /// What the state key is derived for (a new purpose would give an unrelated key).
    static let purpose = "nex node workload state v1"

    let key: XKeyPair

    /// The public key of the state key (`X…`): the sender named in every sealed value.
    public var publicKey: String { key.publicKey }

    /// The state key of the node with server seed `nodeSeed` (`SN…`).
    public init(nodeSeed: String) throws {
        try self.init(keys: KeyPair(seed: nodeSeed, expecting: .server, role: "node seed"))
    }

    /// The state key of the node with these server keys (which must hold the seed).
    public init(keys: KeyPair) throws {
        key = try XKeyPair(derivedFrom: keys, purpose: Self.purpose)
    }

    /// The definition with `run_request` sealed (already sealed ones are kept as they are).
    public func seal(_ request: StartWorkloadRequest) throws -> StartWorkloadRequest {
        guard !SealedText.isSealed(request.runRequest) else { return request }
        var sealed = request
        sealed.runRequest = try SealedText.seal(request.runRequest, from: key, to: key)
        return sealed
    }

    /// The definition with `run_request` opened. A clear one (written by a Go node or before sealing existed)
    /// is returned as it is; one sealed by another key fails.
    public func open(_ request: StartWorkloadRequest) throws -> StartWorkloadRequest {
        guard SealedText.isSealed(request.runRequest) else { return request }
        var opened = request
        opened.runRequest = try SealedText.open(request.runRequest, with: key, expectedSender: key.publicKey)
        return opened
    }
}

/// A state store that seals what it saves and opens what it reads (``WorkloadStateSeal``). A value that does
/// not open is logged and skipped, so one bad value never stops the replay of the others.
struct SealedWorkloadState: WorkloadStateStore {
    let inner: any WorkloadStateStore
    let seal: WorkloadStateSeal
    let logger: Logger

    func save(_ workload: StoredWorkload) async throws {
        var sealed = workload
        sealed.request = try seal.seal(workload.request)
        try await inner.save(sealed)
    }

    func remove(workloadType: String, workloadID: String) async throws {
        try await inner.remove(workloadType: workloadType, workloadID: workloadID)
    }

    func workloads(ofType workloadType: String) async throws -> [StoredWorkload] {
        opened(try await inner.workloads(ofType: workloadType))
    }

    func all() async throws -> [StoredWorkload] {
        opened(try await inner.all())
    }

    func probe() async throws {
        try await inner.probe()
    }

    private func opened(_ stored: [StoredWorkload]) -> [StoredWorkload] {
        stored.compactMap { workload in
            do {
                var opened = workload
                opened.request = try seal.open(workload.request)
                return opened
            } catch {
                logger.error("skipping a stored workload that does not open with this node's state key", metadata: [
                    "workload": "\(workload.workloadID)", "type": "\(workload.workloadType)", "error": "\(error)",
                ])
                return nil
            }
        }
    }
}
