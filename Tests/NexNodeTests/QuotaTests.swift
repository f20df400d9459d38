import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import OperatorTestSupport
import Testing

// issue 14: quotas per namespace and node capacity
/// Namespace quotas enforced by every node against the nexus's quota bucket with compare-and-set, leases released
/// on stop and expired when a node stops renewing, and full nodes that decline (decisions.md §14).
@Suite struct QuotaTests {
    static func request(namespace: String = "acme", limits: String? = nil) -> StartWorkloadRequest {
        let runRequest = limits.map { "{\"limits\": \($0)}" } ?? "{}"
        return StartWorkloadRequest(name: "w", namespace: namespace, description: "quota test", workloadType: "inmem",
                                    workloadLifecycle: .service, runRequest: runRequest)
    }

    /// Nodes with an in-memory nexlet each, KV state, the quota bucket and the tag `slot=<index>`.
    struct Cluster: Sendable {
        let harness: NodeHarness
        let nexlets: [InMemoryNexlet]
        let states: [KVWorkloadState]
        let quotas: QuotaBook

        var runningCount: Int { nexlets.reduce(0) { $0 + $1.workloads.count } }

        func storedCount() async throws -> Int {
            var total = 0
            for state in states { total += try await state.all().count }
            return total
        }

        func usage(_ namespace: String) async throws -> NamespaceUsage? {
            try await quotas.report().first { $0.namespace == namespace }?.usage
        }
    }

    static func cluster(
        nodes count: Int, leaseTTL: Duration = .seconds(30),
        configure: @escaping @Sendable (inout NodeOptions, Int) -> Void = { _, _ in }
    ) async throws -> Cluster {
        let server = try await NATSServer.start()
        let setup = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "setup"))
        var states: [KVWorkloadState] = []
        var books: [QuotaBook] = []
        for _ in 0..<count {
            states.append(try await KVWorkloadState.open(connection: setup, nodeID: "unused-\(NUID.next())"))
            books.append(try await QuotaBook.open(connection: setup, nexus: NexConstants.defaultNexus, leaseTTL: leaseTTL))
        }
        let nexlets = (0..<count).map { _ in InMemoryNexlet() }
        let stateList = states
        let bookList = books
        let harness = try await NodeHarness.start(nodes: count, server: server) { options, index in
            options.embed(nexlets[index])
            options.state = stateList[index]
            options.quotas = bookList[index]
            options.tags = ["slot": "\(index)"]
            configure(&options, index)
        }
        let admin = try await QuotaBook.open(connection: harness.client, nexus: NexConstants.defaultNexus, leaseTTL: leaseTTL)
        return Cluster(harness: harness, nexlets: nexlets, states: states, quotas: admin)
    }

    @Test func twoNodesRacingTwentyDeploysIntoAQuotaOfFiveRunExactlyFive() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 2)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 5))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            let outcomes = await withTaskGroup(of: Result<DeployResult, any Error>.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do { return .success(try await client.deploy(Self.request(), tags: nil)) } catch { return .failure(error) }
                    }
                }
                var all: [Result<DeployResult, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let started = outcomes.compactMap { try? $0.get() }
            let refusals = outcomes.compactMap { outcome -> NexError? in
                if case .failure(let error) = outcome { return error as? NexError }
                return nil
            }
            #expect(started.count == 5)
            #expect(refusals.count == 15)
            for refusal in refusals {
                #expect(refusal.status == 403 && refusal.error == "namespace acme is at its quota: 5 of 5 workloads", "\(refusal)")
            }
            // Nothing else runs or is stored, and the usage counts exactly the five.
            #expect(cluster.runningCount == 5)
            #expect(try await cluster.storedCount() == 5)
            #expect(try await cluster.usage("acme")?.workloads == 5)
            #expect(Set(try #require(try await cluster.usage("acme")).leases.keys) == Set(started.map(\.response.id)))
        }
    }

    @Test func contendedAdmissionsRetryUntilEachIsDecided() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 2)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 100))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            // 40 deploys at once through two nodes: every compare-and-set conflict is retried, none is refused.
            let started = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<40 { group.addTask { try await client.deploy(Self.request()).response.id } }
                var ids: Set<String> = []
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(started.count == 40)
            #expect(Set(try #require(try await cluster.usage("acme")).leases.keys) == started)
            #expect(cluster.runningCount == 40)
        }
    }

    @Test func workloadsThatRanBeforeTheQuotaAreCountedByTheNextSweep() async throws {
        try await withTeardown { teardown in
            // A short TTL: nodes sweep every TTL/3.
            let cluster = try await Self.cluster(nodes: 1, leaseTTL: .seconds(3))
            teardown.add { await cluster.harness.stop() }
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            // Without a quota nothing is counted (a deploy costs one read, no write).
            let before = [try await client.deploy(Self.request()).response.id, try await client.deploy(Self.request()).response.id]
            #expect(try await cluster.usage("acme") == nil)
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 3))
            try await eventually("the sweep counts the earlier workloads", timeout: .seconds(15), poll: .milliseconds(100)) {
                (try? await cluster.usage("acme"))??.leases.keys.sorted() == before.sorted()
            }
            _ = try await client.deploy(Self.request())
            let refused = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request()) }
            #expect(refused?.error == "namespace acme is at its quota: 3 of 3 workloads", "\(String(describing: refused))")
            #expect(cluster.runningCount == 3)
        }
    }

    @Test func usageIsReleasedWhenAWorkloadStops() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 1))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            let first = try await client.deploy(Self.request()).response.id
            let refused = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request()) }
            #expect(refused?.error == "namespace acme is at its quota: 1 of 1 workloads", "\(String(describing: refused))")
            // Another namespace is not affected by acme's quota (positive control).
            _ = try await NexClient(connection: cluster.harness.client, namespace: "other").deploy(Self.request(namespace: "other"))

            #expect(try await client.stopWorkload(id: first).stopped)
            #expect(try await cluster.usage("acme")?.workloads == 0)
            let second = try await client.deploy(Self.request()).response.id
            #expect(try await cluster.usage("acme")?.leases.keys.sorted() == [second])
        }
    }

    @Test func usageIsReleasedWhenAWorkloadEndsOnItsOwn() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 1))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            let id = try await client.deploy(Self.request()).response.id
            #expect(try await cluster.usage("acme")?.workloads == 1)
            #expect(await cluster.nexlets[0].finish(workloadID: id))
            try await eventually("the ended workload's lease is released", timeout: .seconds(15), poll: .milliseconds(100)) {
                (try? await cluster.usage("acme"))??.workloads == 0
            }
            _ = try await client.deploy(Self.request())
        }
    }

    @Test func leasesOfANodeThatStopsRenewingExpire() async throws {
        try await withTeardown { teardown in
            let ttl = Duration.seconds(4)
            let cluster = try await Self.cluster(nodes: 2, leaseTTL: ttl)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 2))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            for _ in 0..<2 { _ = try await client.deploy(Self.request(), tags: ["slot": "0"]) }
            let refused = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(), tags: ["slot": "1"]) }
            #expect(refused?.error == "namespace acme is at its quota: 2 of 2 workloads", "\(String(describing: refused))")
            // Control: the leases of a node that keeps renewing outlive the TTL (node 1 sweeps meanwhile). Wait for
            // a renewal of node 0 stamped more than a TTL after the first one seen.
            let node0 = cluster.harness.nodes[0]
            let livenessKey = "nodes.\(node0.id)"
            let firstStamp = try #require(try await cluster.quotas.store.get(livenessKey)).created
            try await eventually("node 0 renewed more than a TTL later", timeout: .seconds(30), poll: .milliseconds(200)) {
                guard let stamp = try await cluster.quotas.store.get(livenessKey)?.created else { return false }
                return stamp.timeIntervalSince(firstStamp) > 4.5
            }
            #expect(try await cluster.usage("acme")?.workloads == 2)

            // Node 0 "crashes": it stops renewing and will not release on its way out.
            await node0.haltQuotaUpkeep()
            try await eventually("node 1 expires node 0's leases", timeout: .seconds(30), poll: .milliseconds(200)) {
                (try? await cluster.usage("acme"))??.workloads == 0
            }
            _ = try await client.deploy(Self.request(), tags: ["slot": "1"])
            #expect(try await cluster.usage("acme")?.workloads == 1)
        }
    }

    @Test func usageIsReleasedWhenTheNodeDrains() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 2)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 3))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            for _ in 0..<2 { _ = try await client.deploy(Self.request(), tags: ["slot": "0"]) }
            let kept = try await client.deploy(Self.request(), tags: ["slot": "1"]).response.id
            #expect(try await cluster.usage("acme")?.workloads == 3)
            // The shutdown of node 0 releases its leases at once (no wait for the TTL); node 1's stay.
            await cluster.harness.nodes[0].shutdown()
            #expect(try await cluster.usage("acme")?.leases.keys.sorted() == [kept])
            #expect(try await cluster.quotas.store.get("nodes.\(cluster.harness.nodes[0].id)") == nil)
        }
    }

    @Test func aRestartedNodeCountsItsReplayedWorkloadsAgain() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let seed = try #require(try KeyPair.generate(.server).seed)
            let nodeID = try KeyPair(seed: seed).publicKey
            @Sendable func node(_ nexlet: InMemoryNexlet) async throws -> (NexNode, NatsConnection) {
                let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "replay-node"))
                var options = NodeOptions()
                options.nodeSeed = seed
                options.minter = FullAccessMinter(servers: [server.url])
                options.state = try await KVWorkloadState.open(connection: connection, nodeID: nodeID)
                options.quotas = try await QuotaBook.open(connection: connection, nexus: options.nexus)
                options.logger.logLevel = .error
                options.embed(nexlet)
                let node = try NexNode(connection: connection, options: options)
                try await node.start()
                return (node, connection)
            }
            let (crashing, connection) = try await node(InMemoryNexlet())
            let clientConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client"))
            teardown.add { await clientConnection.close() }
            let admin = try await QuotaBook.open(connection: clientConnection, nexus: NexConstants.defaultNexus)
            try await admin.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 3, maxMemory: 256 << 20))
            let client = try NexClient(connection: clientConnection, namespace: "acme")
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await client.deploy(Self.request(limits: #"{"memory": "64MiB"}"#)).response.id) }
            #expect(try await client.stopWorkload(id: ids.removeFirst()).stopped)

            // A crash: no renewal, no release, the connection drops.
            await crashing.haltQuotaUpkeep()
            await connection.close()

            let nexlet = InMemoryNexlet()
            let (restarted, _) = try await node(nexlet)
            teardown.add { await restarted.shutdown() }
            try await eventually("2 workloads replayed") { nexlet.counters.replays == 2 }
            let usage = try #require(try await admin.report().first { $0.namespace == "acme" }?.usage)
            #expect(usage.leases.keys.sorted() == ids.sorted())
            #expect(usage.memory == 128 << 20)
            #expect(usage.leases.values.allSatisfy { $0.node == nodeID })
            // The quota still holds with the replayed workloads counted.
            _ = try await client.deploy(Self.request(limits: #"{"memory": "64MiB"}"#))
            let refused = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(limits: #"{"memory": "64MiB"}"#)) }
            #expect(refused?.error == "namespace acme is at its quota: 3 of 3 workloads", "\(String(describing: refused))")
        }
    }

    @Test func memoryAndCPUQuotasCountLimitsAndRefuseWorkloadsWithout() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.setQuota(NamespaceQuota(namespace: "acme", maxWorkloads: 10, maxMemory: 1 << 30, maxCPU: 2))
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            let unlimited = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request()) }
            #expect(unlimited?.error == "namespace acme has a memory quota of 1GiB: the workload must set limits.memory in its start request", "\(String(describing: unlimited))")
            let noCPU = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(limits: #"{"memory": "64MiB"}"#)) }
            #expect(noCPU?.error == "namespace acme has a CPU quota of 2 cores: the workload must set limits.cpu in its start request", "\(String(describing: noCPU))")

            _ = try await client.deploy(Self.request(limits: #"{"memory": "600MiB", "cpu": 0.5}"#))
            let memory = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(limits: #"{"memory": "600MiB", "cpu": 0.5}"#)) }
            #expect(memory?.error == "namespace acme is at its memory quota: 600MiB of 1GiB used, the workload asks 600MiB", "\(String(describing: memory))")
            _ = try await client.deploy(Self.request(limits: #"{"memory": "100MiB", "cpu": 1.5}"#))
            let cpu = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(limits: #"{"memory": "1MiB", "cpu": 0.25}"#)) }
            #expect(cpu?.error == "namespace acme is at its CPU quota: 2 of 2 cores used, the workload asks 0.25", "\(String(describing: cpu))")
            let usage = try #require(try await cluster.usage("acme"))
            #expect(usage.workloads == 2 && usage.memory == 700 << 20 && usage.cpu == 2)
            #expect(cluster.runningCount == 2)
            #expect(try await cluster.storedCount() == 2)

            let bad = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(limits: #"{"memory": "lots"}"#)) }
            #expect(bad?.status == 400 && bad?.error.contains("limits.memory") == true, "\(String(describing: bad))")
            #expect(cluster.runningCount == 2)
        }
    }

    @Test func aFullNodeDeclinesAndTheAuctionLandsElsewhere() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 2) { options, index in
                if index == 0 { options.maxWorkloads = 1 }
            }
            teardown.add { await cluster.harness.stop() }
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            _ = try await client.deploy(Self.request(), tags: ["slot": "0"])
            let auction = try await client.auction(agentType: "inmem")
            #expect(auction.bids.count == 1)
            #expect(auction.declines.map(\.reason) == ["node node-0 is full: 1 of at most 1 workloads"])
            for _ in 0..<3 { _ = try await client.deploy(Self.request()) }
            #expect(cluster.nexlets[0].workloads.count == 1)
            #expect(cluster.nexlets[1].workloads.count == 3)
            let nowhere = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(), tags: ["slot": "0"]) }
            #expect(nowhere?.error.contains("node node-0 is full: 1 of at most 1 workloads") == true, "\(String(describing: nowhere))")
        }
    }

    @Test func aDeployThatRacedPastTheAuctionOntoAFullNodeIsRefused() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1) { options, _ in
                options.hostMemory = ByteSize(bytes: 1 << 30)
                options.reserveMemory = ByteSize(bytes: 512 << 20)
            }
            teardown.add { await cluster.harness.stop() }
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            let first = try #require(try await client.auction(agentType: "inmem").bids.first)
            let second = try #require(try await client.auction(agentType: "inmem").bids.first)
            _ = try await client.startWorkload(Self.request(limits: #"{"memory": "400MiB"}"#), bid: first)
            let refused = await #expect(throws: NexError.self) {
                _ = try await client.startWorkload(Self.request(limits: #"{"memory": "200MiB"}"#), bid: second)
            }
            #expect(refused?.status == 400, "\(String(describing: refused))")
            #expect(refused?.error == "node node-0 is full: the workload asks 200MiB of memory, 112MiB is left for workloads (1GiB on the host, 512MiB reserved, 400MiB in workload limits)",
                    "\(String(describing: refused))")
            #expect(cluster.runningCount == 1)
            #expect(try await cluster.storedCount() == 1)
            // A workload that fits still goes on (control), and then the node is full and declines.
            _ = try await client.deploy(Self.request(limits: #"{"memory": "112MiB"}"#))
            let auction = try await client.auction(agentType: "inmem")
            #expect(auction.bids.isEmpty)
            #expect(auction.declines.first?.reason.hasPrefix("node node-0 is full: no memory left for workloads") == true, "\(auction.declines)")
        }
    }

    @Test func aDeployIsRefusedWhenTheQuotaBucketIsGone() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1)
            teardown.add { await cluster.harness.stop() }
            let client = try NexClient(connection: cluster.harness.client, namespace: "acme")
            _ = try await client.deploy(Self.request())
            try await JetStream(cluster.harness.client).deleteKeyValue(QuotaBook.bucket(nexus: NexConstants.defaultNexus))
            let refused = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request()) }
            #expect(refused?.status == 403 && refused?.error.hasPrefix("cannot check the quota of namespace acme") == true, "\(String(describing: refused))")
            #expect(cluster.runningCount == 1)
            #expect(try await cluster.storedCount() == 1)
        }
    }

    @Test func bucketNamesKeepEveryNexusApart() {
        #expect(QuotaBook.bucket(nexus: "nexus") == "nex-quotas-nexus")
        #expect(QuotaBook.bucket(nexus: "eu-1") == "nex-quotas-eu-1")
        #expect(QuotaBook.bucket(nexus: "a_b") == "nex-quotas-a_5Fb")
        #expect(QuotaBook.bucket(nexus: "ü") == "nex-quotas-_C3_BC")
        #expect(QuotaBook.bucket(nexus: "a:b") != QuotaBook.bucket(nexus: "a_3Ab"))
    }

    @Test func namespaceDocumentsReadBackWhatWasWritten() throws {
        let full = NamespaceUsage(
            namespace: "ä-team", quota: NamespaceQuota(namespace: "ä-team", maxWorkloads: 3, maxMemory: 1 << 30, maxCPU: 1.5),
            leases: ["w1": QuotaLease(node: "N1", memory: 64 << 20, cpu: 0.25), "w2": QuotaLease(node: "N2")])
        #expect(try NamespaceUsage(encoded: full.encoded()) == full)
        let bare = NamespaceUsage(namespace: "acme", quota: NamespaceQuota(namespace: "acme", maxWorkloads: 0))
        #expect(try NamespaceUsage(encoded: bare.encoded()) == bare)
        #expect(throws: NamespaceUsage.FormatError.self) { try NamespaceUsage(encoded: Data("{}".utf8)) }
        #expect(throws: NamespaceUsage.FormatError.self) { try NamespaceUsage(encoded: Data("nex-namespace-v1 a\nlease w1 N1 lots 0\n".utf8)) }
    }

    @Test func aCorruptNamespaceDocumentRefusesDeploysAndKeepsOthersWorking() async throws {
        try await withTeardown { teardown in
            let cluster = try await Self.cluster(nodes: 1)
            teardown.add { await cluster.harness.stop() }
            try await cluster.quotas.store.put("ns.acme", Data("not a document".utf8))
            let refused = await #expect(throws: NexError.self) {
                _ = try await NexClient(connection: cluster.harness.client, namespace: "acme").deploy(Self.request())
            }
            #expect(refused?.status == 403 && refused?.error.hasPrefix("cannot check the quota of namespace acme") == true, "\(String(describing: refused))")
            #expect(cluster.runningCount == 0)
            _ = try await NexClient(connection: cluster.harness.client, namespace: "other").deploy(Self.request(namespace: "other"))
            #expect(cluster.runningCount == 1)
        }
    }

    // MARK: Security

    @Test func aWorkloadCredentialCannotChangeOrBypassAQuota() async throws {
        try await withTeardown { teardown in
            let env = try await OperatorEnvironment.start()
            let system = try await env.connectUnrestricted(name: "system")
            teardown.add { await system.close() }
            let book = try await QuotaBook.open(connection: system, nexus: env.nexus)
            try await book.setQuota(NamespaceQuota(namespace: "a", maxWorkloads: 1))
            try await book.renew(nodeID: env.nodeID, name: "node")
            try await book.reserve(namespace: "a", workloadID: "w1", nodeID: env.nodeID, demand: WorkloadDemand())

            let credentials = try env.minter().mintWorkload(namespace: "a", workloadID: "w1")
            let workload = try await env.connect(credentials, name: "workload")
            teardown.add { await workload.close() }
            let bucket = QuotaBook.bucket(nexus: env.nexus)
            let raise = NamespaceUsage(namespace: "a", quota: NamespaceQuota(namespace: "a", maxWorkloads: 100)).encoded()
            // Raw KV writes (raise the quota, drop the leases) are not delivered, and the JetStream API is closed.
            await #expect(throws: (any Error).self) {
                _ = try await workload.request("$KV.\(bucket).ns.a", payload: raise, timeout: .seconds(1))
            }
            try await env.expectServerLogged("Publish", user: try KeyPair(seed: credentials.userSeed).publicKey, subject: "$KV.\(bucket).ns.a")
            await #expect(throws: (any Error).self) {
                _ = try await workload.request("$KV.\(bucket).ns.a", payload: NamespaceUsage(namespace: "a").encoded(), timeout: .seconds(1))
            }
            await #expect(throws: (any Error).self) { _ = try await QuotaBook.bind(connection: workload, nexus: env.nexus, timeout: .seconds(1)) }
            // A nexlet's credential has no JetStream API either.
            let agentCredentials = try env.minter().mintAgent(agentID: "agent1", profile: .current)
            let agent = try await env.connect(agentCredentials, name: "agent")
            teardown.add { await agent.close() }
            await #expect(throws: (any Error).self) {
                _ = try await agent.request("$KV.\(bucket).ns.a", payload: raise, timeout: .seconds(1))
            }
            await #expect(throws: (any Error).self) { _ = try await QuotaBook.bind(connection: agent, nexus: env.nexus, timeout: .seconds(1)) }
            #expect(try await book.quota(of: "a")?.maxWorkloads == 1)
            #expect(try await book.report().first?.usage.workloads == 1)

            // Positive control: the system credential changes both.
            try await book.setQuota(NamespaceQuota(namespace: "a", maxWorkloads: 100))
            try await book.release(namespace: "a", workloadID: "w1")
            #expect(try await book.quota(of: "a")?.maxWorkloads == 100)
            #expect(try await book.report().first?.usage.workloads == 0)
        }
    }
}
