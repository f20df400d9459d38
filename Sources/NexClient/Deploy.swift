import Foundation
import NATSKit
import NexProtocol

/// A successful ``NexClient/deploy(_:tags:prepare:unplaced:)``: the node's answer plus how the placement was made.
public struct DeployResult: Sendable {
    /// The new workload's id and name.
    public var response: StartWorkloadResponse
    /// The bid that was used.
    public var bid: AuctionResponse
    /// The auction the bid came from.
    public var auction: AuctionResult

    public init(response: StartWorkloadResponse, bid: AuctionResponse, auction: AuctionResult) {
        self.response = response
        self.bid = bid
        self.auction = auction
    }
}

extension NexClient {
    /// Starts a workload with a bid won in an auction (protocol.md §3.5): request
    /// `$NEX.SVC.<request.namespace>.control.ADEPLOY.<bidId>` within
    /// ``NexClientOptions/startWorkloadTimeout``. `tags: null` is sent as `{}`.
    ///
    /// Throws the node's or agent's error reply (agent failures have status 100), 400 for a namespace or bid
    /// id that is not a subject token, and 500 `failed to request start workload` on a timeout (e.g. an
    /// expired bid: nodes drop those silently) or other transport failure.
    public func startWorkload(_ request: StartWorkloadRequest, bid: AuctionResponse) async throws -> StartWorkloadResponse {
        try await startWorkload(request, bidderID: bid.bidderID)
    }

    /// ``startWorkload(_:bid:)`` with a bare bidder id.
    public func startWorkload(_ request: StartWorkloadRequest, bidderID: String) async throws -> StartWorkloadResponse {
        try Self.checkToken(request.namespace, as: "namespace")
        try Self.checkToken(bidderID, as: "bidder id")
        var request = request
        if request.tags == nil { request.tags = [:] }
        let payload = try ReplyDecoder.encode(request, what: "start workload request")
        let subject = NexSubject.auctionDeploy(namespace: request.namespace, bidID: bidderID)
        switch try await requestOne(subject, payload: payload, timeout: options.startWorkloadTimeout) {
        case .success(let reply):
            return try ReplyDecoder.decode(StartWorkloadResponse.self, from: reply, what: "start workload response").get()
        case .failure(.noResponders):
            throw NexError.internalError("failed to request start workload: no responders", body: "failed to request start workload")
        case .failure(.timeout):
            throw NexError.internalError("failed to request start workload: timed out", body: "failed to request start workload")
        case .failure(.transport(let error)):
            throw NexError.internalError("failed to request start workload: \(error)", body: "failed to request start workload")
        }
    }

    /// Auctions for `request.workloadType` in `request.namespace`, picks a random bid among those whose
    /// `supported_lifecycles` contain the request's lifecycle (a bid without the list supports all), and
    /// starts the workload with it. `tags`, when given, are the placement tags for both the auction and the
    /// request; otherwise the request's own tags are used. Nothing is validated against the bid's schema
    /// (the caller does that if it wants to).
    ///
    /// Throws 404 `no nodes available for placement` when nobody bid (its detail names the declines and
    /// errors), 400 `agent does not support requested lifecycle` when no bid fits the lifecycle, and the
    /// errors of ``startWorkload(_:bid:)``.
    ///
    /// The hooks let a caller fit the request to the winning nexlet without choosing a bid itself (the one
    /// choice is this method's): `prepare` gets the chosen bid and the request and returns the request to
    /// send (e.g. with its environment sealed to the bid's xkey, checked against the bid's schema); what it
    /// throws is thrown unchanged and nothing is sent. `unplaced` turns the 404/400 of a failed choice into
    /// the error to throw (by default that error itself).
    public func deploy(
        _ request: StartWorkloadRequest, tags: NodeTags? = nil,
        prepare: (_ bid: AuctionResponse, _ request: StartWorkloadRequest) throws -> StartWorkloadRequest = { $1 },
        unplaced: (Unplaced) -> any Error = { $0.error }
    ) async throws -> DeployResult {
        var request = request
        if let tags { request.tags = tags }
        let auction = try await self.auction(namespace: request.namespace, agentType: request.workloadType, tags: request.tags)
        let bid: AuctionResponse
        do {
            bid = try Self.chooseBid(from: auction, lifecycle: request.workloadLifecycle, workloadType: request.workloadType)
        } catch {
            throw unplaced(Unplaced(auction: auction, lifecycle: request.workloadLifecycle, error: error))
        }
        let prepared = try prepare(bid, request)
        let response = try await startWorkload(prepared, bid: bid)
        return DeployResult(response: response, bid: bid, auction: auction)
    }

    /// Why ``deploy(_:tags:prepare:unplaced:)`` found no bid to use.
    public struct Unplaced: Sendable {
        /// The auction: no bids at all, or none whose lifecycles include `lifecycle`.
        public var auction: AuctionResult
        public var lifecycle: WorkloadLifecycle
        /// What `deploy` throws by default: 404 `no nodes available for placement` or 400 `agent does not
        /// support requested lifecycle`.
        public var error: NexError
    }

    /// A uniformly random bid that supports `lifecycle`, or the error explaining why there is none.
    static func chooseBid(from auction: AuctionResult, lifecycle: WorkloadLifecycle, workloadType: String) throws(NexError) -> AuctionResponse {
        guard !auction.bids.isEmpty else {
            var details = ["no bids for workload type \(workloadType)"]
            if let declines = auction.declineSummary { details.append(declines) }
            if let errors = auction.joinedError { details.append("errors: \(errors.description)") }
            throw NexError.notFound(
                "no nodes available for placement (\(details.joined(separator: "; ")))",
                body: "no nodes available for placement")
        }
        let fitting = auction.bids.filter { $0.supportedLifecycles?.contains(lifecycle) ?? true }
        guard let bid = fitting.randomElement() else {
            throw NexError.badRequest(
                "agent does not support requested lifecycle: none of the \(auction.bids.count) bids for \(workloadType) supports \(lifecycle.rawValue)",
                body: "agent does not support requested lifecycle")
        }
        return bid
    }
}
