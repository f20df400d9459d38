import Foundation
import NexProtocol

// issue 14: quotas per namespace and node capacity
extension NodeCore {
    /// The error a refused deploy gets (the hook hears of it first). Over quota or quota unknown: 403 with the
    /// reason as detail (so the client sees it); node full: 400, as the agent capacity refusal.
    func refusal(_ namespace: String, _ reason: AdmissionRefusal.Reason, _ message: String) -> NexError {
        let refusal = AdmissionRefusal(namespace: namespace, reason: reason, message: message)
        metrics.admissionRefused(refusal)
        options.onAdmissionRefused?(refusal)
        logger.info("deploy refused", metadata: ["namespace": "\(namespace)", "reason": "\(reason.rawValue)", "detail": "\(message)"])
        switch reason {
        case .quota: return .service(status: NexErrorCode.forbidden, friendly: "namespace is at its quota", detail: message)
        case .quotaUnavailable: return .service(status: NexErrorCode.forbidden, friendly: "namespace quota cannot be checked", detail: message + "; the deploy is refused")
        case .nodeFull: return .service(status: NexErrorCode.badRequest, friendly: "node is full", detail: message)
        }
    }

    /// Counts the placement against its namespace's quota; the refusal when it does not fit or cannot be checked.
    func reserveQuota(_ placement: WorkloadPlacements.Placement) async -> NexError? {
        guard let quotas = options.quotas else { return nil }
        do {
            try await quotas.reserve(namespace: placement.namespace, workloadID: placement.workloadID, nodeID: id, demand: placement.demand)
            return nil
        } catch {
            return refusal(placement.namespace, error.kind == .overQuota ? .quota : .quotaUnavailable, error.description)
        }
    }

    /// Releases a workload's lease; a failure is logged and left to this node's sweep (which drops its own
    /// leases of workloads it no longer holds).
    func releaseQuota(namespace: String, workloadID: String) async {
        guard let quotas = options.quotas else { return }
        do {
            try await quotas.release(namespace: namespace, workloadID: workloadID)
        } catch {
            logger.warning("failed to release a quota lease; the next sweep drops it", metadata: [
                "namespace": "\(namespace)", "workload": "\(workloadID)", "error": "\(error)",
            ])
        }
    }

    /// Counts workloads handed back to an agent (replay) without a quota check: they were admitted before.
    func adoptQuota(_ placements: [WorkloadPlacements.Placement]) async {
        guard let quotas = options.quotas else { return }
        for (namespace, group) in Dictionary(grouping: placements, by: \.namespace) {
            do {
                try await quotas.adopt(namespace: namespace, workloads: group.map { ($0.workloadID, $0.demand) }, nodeID: id)
            } catch {
                logger.warning("failed to count replayed workloads in their namespace's usage", metadata: [
                    "namespace": "\(namespace)", "workloads": "\(group.count)", "error": "\(error)",
                ])
            }
        }
    }

    /// Renews this node's liveness and drops expired leases (see ``QuotaBook/sweep(selfID:own:holds:)``).
    func quotaRound() async {
        guard let quotas = options.quotas else { return }
        do {
            try await quotas.renew(nodeID: id, name: options.name)
            let own = placements.byNamespace().mapValues { $0.map { (workloadID: $0.workloadID, demand: $0.demand) } }
            let dropped = try await quotas.sweep(selfID: id, own: own) { [placements] in placements.holds($0) }
            if dropped > 0 { logger.info("dropped expired quota leases", metadata: ["leases": "\(dropped)"]) }
        } catch {
            logger.warning("quota lease renewal failed", metadata: ["error": "\(error)"])
        }
    }
}
