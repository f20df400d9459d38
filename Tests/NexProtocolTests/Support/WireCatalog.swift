import Foundation
import JSONSchema
import NexProtocol
import Testing

/// One wire type with a realistic sample value, type-erased so tests can be generated over all types.
struct WireCase: Sendable, CustomTestStringConvertible {
    let typeName: String
    let goTypeName: String
    /// Schema files (in `schema/`) the encoded sample must satisfy.
    let schemas: [String]
    let fields: [(key: String, presence: GoFieldPresence)]
    /// Required keys whose value is a string enum (`null` is rejected there).
    let enumKeys: Set<String>
    /// Encodes the sample.
    let encode: @Sendable () throws -> Data
    /// Decodes bytes as this type and encodes the result again.
    let reencode: @Sendable (Data) throws -> Data
    /// Decodes the encoded sample and compares it with the sample.
    let roundTripsEqual: @Sendable () throws -> Bool

    var testDescription: String { typeName }
    var requiredKeys: [String] { fields.filter { $0.presence == .required }.map(\.key) }

    init<T: GoJSONObject>(_ sample: T, schemas: [String] = [], enumKeys: Set<String> = []) {
        typeName = String(describing: T.self)
        goTypeName = T.goTypeName
        self.schemas = schemas
        fields = T.goFields.map { ($0.key, $0.presence) }
        self.enumKeys = enumKeys
        encode = { try GoJSON.encode(sample) }
        reencode = { data in try GoJSON.encode(GoJSON.decode(T.self, from: data)) }
        roundTripsEqual = { try GoJSON.decode(T.self, from: GoJSON.encode(sample)) == sample }
    }
}

/// A JSON document (not necessarily an object type of ours) that must satisfy a schema.
struct SchemaInstance: Sendable {
    let schema: String
    let label: String
    let json: Data
}

enum WireCatalog {
    static let time = GoTime(unixSeconds: 1_776_931_872, nanosecond: 123_456_789)  // 2026-04-23T08:11:12.123456789Z
    static let nodeID = "NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG"
    static let xkey = "XCHUBRNNW2HSKYSK4WZBJ2TWPJXMSTMCTU6XWXQ22G5G6PRBHAUF76G7"
    static let agentID = "Hx2ZqQ4yWbqCa1Vn0m3RkP"
    static let workloadID = "K7d8Q2mNpL4sT6vX9zB1cE"
    static let tags: NodeTags = ["foo": "bar", NexTag.os: "linux", NexTag.arch: "amd64"]

    static let creds = NatsConnectionData(
        connName: "workload", natsServers: ["nats://127.0.0.1:4222", "nats://10.0.0.2:4222"],
        natsUserJWT: "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig", natsUserName: "",
        natsUserNkey: "UA2FWE3NLZUR4KJYJCPXQNCEXYXLRIZ2AJDZPHY6JAWK4CX3QGSY2OKN", natsUserPassword: "",
        natsUserSeed: "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4", tlsCA: "/etc/nex/ca.pem",
        tlsCert: "", tlsFirst: true, tlsKey: "")

    // issue 12: private inboxes
    /// Signing-key credentials with their private inbox prefix (our optional key).
    static let credsWithInbox = NatsConnectionData(
        natsServers: ["nats://127.0.0.1:4222"], natsUserJWT: "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.sig",
        natsUserSeed: "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4", natsInboxPrefix: "_INBOX_abc")

    static let startRequest = StartWorkloadRequest(
        name: "hello", namespace: "user", description: "demo <service> & friends", workloadType: "native",
        workloadLifecycle: .service, runRequest: #"{"uri":"file:///bin/sleep","argv":["1d"]}"#, tags: ["region": "lab"],
        metadata: ["owner": .string("team-a"), "replicas": .integer(3), "weights": .array([.number(0.5), .null])],
        reference: "https://example.com/docs")

    static let agentSummary = AgentSummary(
        name: "inmem", type: "inmem", version: "0.1.0", state: AgentState.running.rawValue, startTime: time,
        supportedLifecycles: AgentSummary.joinLifecycles([.service, .job, .function]), workloadCount: 2)

    static let nodeAgentSummary = NodeAgentSummary(
        agentID: agentID, health: .healthy, lastHeartbeat: time.adding(.seconds(5)), summary: agentSummary)

    static let workloadSummary = WorkloadSummary(
        id: workloadID, name: "hello", namespace: "user", workloadType: "native", workloadLifecycle: "service",
        workloadState: .running, startTime: time.rfc3339Seconds, runtime: "1m0s", tags: ["region": "lab"],
        metadata: ["pid": "4242"])

    /// Every object type of the protocol with a realistic sample.
    static let cases: [WireCase] = [
        WireCase(creds, schemas: ["shared-nats-connection-data.json"]),
        WireCase(startRequest, schemas: ["start-workload-request.json"], enumKeys: ["workload_lifecycle"]),
        WireCase(AgentStartWorkloadRequest(request: startRequest, workloadCreds: creds),
                 schemas: ["shared-agent-start-workload-request.json"]),
        WireCase(StartWorkloadResponse(id: workloadID, name: "hello"), schemas: ["start-workload-response.json"]),
        WireCase(StopWorkloadRequest(namespace: "user"), schemas: ["stop-workload-request.json"]),
        WireCase(StopWorkloadResponse(id: workloadID, message: "", stopped: true, workloadType: "native"),
                 schemas: ["stop-workload-response.json"]),
        WireCase(agentSummary, schemas: ["shared-agent-summary.json", "agent-ping-response.json"]),
        WireCase(nodeAgentSummary, schemas: ["shared-node-agent-summary.json"]),
        WireCase(workloadSummary, schemas: ["shared-workload-summary.json"], enumKeys: ["workload_state"]),
        WireCase(AgentListWorkloadsRequest(namespace: "user", filter: [workloadID, "hello"]),
                 schemas: ["agent-list-workloads-request.json"]),
        WireCase(LameduckRequest(delay: .seconds(90), tag: ["foo": "bar"]), schemas: ["lameduck-request.json"]),
        WireCase(LameduckResponse(success: true, message: "node entering lameduck mode"),
                 schemas: ["lameduck-response.json"]),
        WireCase(NodePingRequest(filter: ["foo": "bar"]), schemas: ["node-ping-request.json"]),
        WireCase(NodePingResponse(nodeID: nodeID, version: "0.0.0", startTime: time, state: .running, tags: tags,
                                  xkey: xkey, agentCount: 1),
                 schemas: ["node-ping-response.json"], enumKeys: ["state"]),
        WireCase(NodeInfoRequest(), schemas: ["node-info-request.json"]),
        WireCase(NodeInfoResponse(nodeID: nodeID, version: "0.0.0", uptime: GoDuration(nanoseconds: 12_345_678_901),
                                  tags: tags, xkey: xkey, nodeAgentSummaries: [nodeAgentSummary]),
                 schemas: ["node-info-response.json"]),
        WireCase(AuctionRequest(agentType: "inmem", auctionID: "aucT1d22charsxxxxxxxxx", tags: ["foo": "bar"]),
                 schemas: ["auction-request.json"]),
        WireCase(AuctionResponse(bidderID: "B1dderIdB1dderIdB1dder", startRequestSchema: "{}",
                                 supportedLifecycles: [.service, .job, .function], xkey: xkey),
                 schemas: ["auction-response.json"]),
        WireCase(CloneWorkloadRequest(namespace: "user", newTargetXkey: xkey), schemas: ["clone-workload-request.json"]),
        WireCase(CloneWorkloadResponse(startWorkloadRequest: startRequest), schemas: ["clone-workload-response.json"]),
        WireCase(RegisterRemoteAgentRequest(), schemas: ["register-agent-request-remote.json"]),
        WireCase(RegisterRemoteAgentResponse(assignedAgentID: agentID, respondTo: nodeID, registrationCreds: creds),
                 schemas: ["register-agent-response-remote.json"]),
        WireCase(RegisterAgentRequest(name: "native", registerType: "native", version: "1.2.3",
                                      description: "runs native binaries", maxWorkloads: 12.5, publicXkey: xkey,
                                      startRequestSchema: #"{"type":"object"}"#, supportedLifecycles: [.service, .job]),
                 schemas: ["register-agent-request.json"]),
        WireCase(RegisterAgentResponse(connectionData: creds,
                                       existingState: [workloadID: AgentStartWorkloadRequest(request: startRequest,
                                                                                             workloadCreds: creds)],
                                       nodeID: nodeID),
                 schemas: ["register-agent-response.json"]),
        WireCase(AgentHeartbeat(summary: agentSummary, data: #"{"namespace_count":1,"register_type":"native"}"#),
                 schemas: ["heartbeat-agent.json"]),
        WireCase(NodeHeartbeat(agents: [(agentID, "inmem"), ("Other0Agent0Id00000000", "native")])),
        WireCase(NexNodeStartedEvent(id: nodeID, name: "nexnode", nexus: "nexus", tags: tags),
                 schemas: ["event-nex-started.json"]),
        WireCase(NexNodeStoppedEvent(id: nodeID), schemas: ["event-nex-stopped.json"]),
        WireCase(NexNodeLameduckSetEvent(id: nodeID, time: time), schemas: ["event-nex-lameduckset.json"]),
        WireCase(AgentLameduckSetEvent(success: true), schemas: ["event-agent-lameduckset.json"]),
        WireCase(AgentStartedEvent(id: agentID, name: "inmem", registerType: "inmem"),
                 schemas: ["event-agent-started.json"]),
        WireCase(AgentStoppedEvent(id: agentID, name: "inmem", reason: "node shutdown", timestamp: time),
                 schemas: ["event-agent-stopped.json"]),
        WireCase(WorkloadStartedEvent(id: workloadID, namespace: "user", workloadType: "native",
                                      metadata: ["pid": "4242"]),
                 schemas: ["event-workload-start.json"]),
        WireCase(WorkloadStoppedEvent(id: workloadID, namespace: "user", workloadType: "native",
                                      metadata: ["exit": "1"],
                                      error: WorkloadStoppedEventError(code: "1", message: "exited with status 1")),
                 schemas: ["event-workload-stopped.json"]),
        WireCase(WorkloadStoppedEventError(code: "137", message: "killed")),
        WireCase(WorkloadTriggeredEvent(id: workloadID, namespace: "user", duration: 12.75),
                 schemas: ["event-workload-trigger.json"]),
        WireCase(AgentIngressMsg(command: .add, workloadID: workloadID, upstream: "10.0.0.5:8080"),
                 schemas: ["agent-ingress-message.json"], enumKeys: ["command"]),
        WireCase(AgentIngressData(hostMachineIPAddr: "10.0.0.5",
                                  ingressReportingSubject: NexSubject.ingress(agentID: agentID)),
                 schemas: ["agent-ingress-data.json"]),
        WireCase(PingWorkloadResponse(nodeID: nodeID)),
        WireCase(NexErrorBody(errorID: "corr-123", error: "something broke")),
        // issue 12: private inboxes
        WireCase(credsWithInbox, schemas: ["shared-nats-connection-data.json"]),
    ]

    /// Documents that are not objects of ours (arrays, maps, enums), with the schema they must satisfy.
    static func extraInstances() throws -> [SchemaInstance] {
        var instances: [SchemaInstance] = [
            SchemaInstance(schema: "agent-list-workloads-response.json", label: "[WorkloadSummary]",
                           json: try GoJSON.encode([workloadSummary])),
            SchemaInstance(schema: "node-agent-summary-response.json", label: "NodeAgentSummaryResponse",
                           json: try GoJSON.encode([agentID: nodeAgentSummary] as NodeAgentSummaryResponse)),
            SchemaInstance(schema: "shared-agent-summaries.json", label: "AgentSummaries",
                           json: try GoJSON.encode([agentID: agentSummary] as AgentSummaries)),
            SchemaInstance(schema: "shared-tag-map.json", label: "NodeTags", json: try GoJSON.encode(tags)),
        ]
        func enumInstances<E: GoJSONEnum>(_ type: E.Type, schema: String) throws {
            for value in E.allCases {
                instances.append(SchemaInstance(schema: schema, label: "\(E.self).\(value)", json: try GoJSON.encode(value)))
            }
        }
        try enumInstances(WorkloadLifecycle.self, schema: "shared-workload-lifecycle.json")
        try enumInstances(NodeState.self, schema: "shared-node-state.json")
        try enumInstances(WorkloadState.self, schema: "shared-workload-state.json")
        try enumInstances(AgentIngressCommand.self, schema: "agent-ingress-commands.json")
        for error in GenericError.allCases {
            instances.append(SchemaInstance(schema: "shared-generic-errors.json", label: "GenericError.\(error)",
                                            json: try GoJSON.encode(error.rawValue)))
        }
        return instances
    }

    /// Schema files that describe something outside this module (checked elsewhere).
    static let schemasOwnedElsewhere: Set<String> = [
        "native-start-request.json",  // the native nexlet's start request (module Nexlet)
        "shared-enc-env.json",  // EncEnv (module Minter; checked in MinterTests.XKeyTests)
    ]

    /// A decoder per schema file, for the schemas' own examples (if any ever appear).
    static func decoder(forSchema schema: String) -> (@Sendable (Data) throws -> Data)? {
        cases.first { $0.schemas.contains(schema) }?.reencode
    }
}
