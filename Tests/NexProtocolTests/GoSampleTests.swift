import Foundation
import NATSTestSupport
import JSONSchema
import NexProtocol
import Testing

/// Byte-exact comparisons with JSON the Go implementation produces (quoted in protocol.md).
@Suite("Byte-exact Go samples")
struct GoSampleTests {
    /// The text of the first ```json block after `marker` in protocol.md, joined into one line.
    private func specJSONBlock(after marker: String) throws -> String {
        let spec = try SpecDirectory.read("protocol.md")
        let afterMarker = try #require(spec.range(of: marker)).upperBound
        let start = try #require(spec.range(of: "```json\n", range: afterMarker..<spec.endIndex)).upperBound
        let end = try #require(spec.range(of: "```", range: start..<spec.endIndex)).lowerBound
        return spec[start..<end].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    /// The backquoted text following `marker` on the same line of protocol.md.
    private func specInlineExample(after marker: String) throws -> String {
        let spec = try SpecDirectory.read("protocol.md")
        let afterMarker = try #require(spec.range(of: marker)).upperBound
        let line = spec[afterMarker...].prefix { $0 != "\n" }
        let open = try #require(line.firstIndex(of: "`"))
        let close = try #require(line[line.index(after: open)...].firstIndex(of: "`"))
        return String(line[line.index(after: open)..<close])
    }

    @Test("NatsConnectionData of the full-access minter (protocol.md §2.1)")
    func natsConnectionData() throws {
        let expected = try specJSONBlock(after: "Example as emitted\nby the development")
        let value = NatsConnectionData(natsServers: ["nats://127.0.0.1:4222"])
        #expect(try GoJSON.encodeString(value) == expected)
        #expect(try GoJSON.decode(NatsConnectionData.self, from: expected) == value)
    }

    @Test("StartWorkloadRequest example (protocol.md §2.1)")
    func startWorkloadRequest() throws {
        let expected = try specInlineExample(after: "Example: ")
        let value = StartWorkloadRequest(
            name: "hello", namespace: "user", description: "demo", workloadType: "native", workloadLifecycle: .service,
            runRequest: #"{"uri":"file:///bin/sleep","argv":["1d"]}"#, tags: [:])
        #expect(try GoJSON.encodeString(value) == expected)
        #expect(try GoJSON.decode(StartWorkloadRequest.self, from: expected) == value)
    }

    @Test("StartWorkloadRequest key order with every optional key (credentials doc §3.3)")
    func startWorkloadRequestFullOrder() throws {
        let value = StartWorkloadRequest(
            name: "n", namespace: "ns", description: "d", workloadType: "t", workloadLifecycle: .job, runRequest: "{}",
            tags: nil, metadata: ["b": .integer(1), "a": .bool(true)], reference: "")
        #expect(try GoJSON.encodeString(value) == """
            {"description":"d","metadata":{"a":true,"b":1},"name":"n","namespace":"ns","reference":"","run_request":"{}","tags":null,"workload_lifecycle":"job","workload_type":"t"}
            """)
        // omitempty: an empty metadata map is never sent, a nil reference neither.
        let bare = StartWorkloadRequest(name: "n", namespace: "ns", workloadType: "t", runRequest: "{}", metadata: [:])
        #expect(try GoJSON.encodeString(bare) == """
            {"description":"","name":"n","namespace":"ns","run_request":"{}","tags":null,"workload_lifecycle":"service","workload_type":"t"}
            """)
    }

    @Test("replies quoted in protocol.md §2.7, §3.8, §4.2, §6, §7.2")
    func quotedReplies() throws {
        #expect(try GoJSON.encodeString(StopWorkloadResponse.notFound(id: "abc123"))
                == #"{"id":"abc123","message":"workload not found","stopped":false,"workload_type":""}"#)
        #expect(try GoJSON.encodeString(StopWorkloadResponse(id: "abc123", stopped: true, workloadType: "inmem"))
                == #"{"id":"abc123","message":"","stopped":true,"workload_type":"inmem"}"#)
        #expect(try GoJSON.encodeString(LameduckResponse(success: true)) == #"{"message":"","success":true}"#)
        #expect(try GoJSON.encodeString(StartWorkloadResponse(id: "abc123", name: "test"))
                == #"{"id":"abc123","name":"test"}"#)
        #expect(try GoJSON.encodeString(PingWorkloadResponse(nodeID: "NODE")) == #"{"node_id":"NODE"}"#)
        #expect(try GoJSON.encodeString(NexErrorBody(errorID: "fake-error-node", error: "boom"))
                == #"{"error_id":"fake-error-node","error":"boom"}"#)
        #expect(try GoJSON.encodeString(RegisterRemoteAgentRequest()) == "{}")
        #expect(try GoJSON.encodeString(NodeInfoRequest()) == "{}")
        #expect(try GoJSON.encodeString(StopWorkloadRequest(namespace: "system")) == #"{"namespace":"system"}"#)
        #expect(try GoJSON.encodeString(AgentListWorkloadsRequest(namespace: "system", filter: []))
                == #"{"filter":[],"namespace":"system"}"#)
        #expect(try GoJSON.encodeString(AuctionRequest(agentType: "inmem", auctionID: "A", tags: nil))
                == #"{"agent_type":"inmem","auction_id":"A","tags":null}"#)
        #expect(try GoJSON.encodeString(LameduckRequest(delay: .zero, tag: ["foo": "bar"]))
                == #"{"delay":"0s","tag":{"foo":"bar"}}"#)
        #expect(try GoJSON.encodeString(LameduckRequest(delay: .millisecond * 100)) == #"{"delay":"100ms"}"#)
        #expect(try GoJSON.encodeString(RegisterRemoteAgentResponse(assignedAgentID: "A", respondTo: "N",
                                                                    registrationCreds: nil))
                == #"{"assigned_agent_id":"A","respond_to":"N"}"#)
        #expect(try GoJSON.encodeString(NodeHeartbeat(agents: [])) == #"{"registrations":""}"#)
        #expect(try GoJSON.encodeString(NodeHeartbeat(agents: [("a1", "inmem"), ("a2", "native")]))
                == #"{"registrations":"a1 [inmem], a2 [native]"}"#)
    }

    @Test("node agent summary before the first heartbeat")
    func nodeAgentSummaryZero() throws {
        let value = NodeAgentSummary(agentID: "A", health: .unknown)
        #expect(try GoJSON.encodeString(value) == """
            {"agent_health":"unknown","agent_health_stoplight":"⚪️","agent_id":"A","agent_last_heartbeat_time":"0001-01-01T00:00:00Z","agent_summary":{"name":"","start_time":"0001-01-01T00:00:00Z","state":"","supported_lifecycles":"","type":"","version":"","workload_count":0}}
            """)
    }

    @Test("events carry their names and subjects")
    func eventNames() throws {
        #expect(NexNodeStartedEvent.eventName.rawValue == "NODESTARTED")
        #expect(NexNodeStoppedEvent.eventName.rawValue == "NODESTOPPED")
        #expect(NexNodeLameduckSetEvent.eventName.rawValue == "NODELAMEDUCKSET")
        #expect(AgentLameduckSetEvent.eventName.rawValue == "AGENTLAMEDUCKSET")
        #expect(AgentStartedEvent.eventName.rawValue == "AGENTSTARTED")
        #expect(AgentStoppedEvent.eventName.rawValue == "AGENTSTOPPED")
        #expect(WorkloadStartedEvent.eventName.rawValue == "WORKLOADSTARTED")
        #expect(WorkloadStoppedEvent.eventName.rawValue == "WORKLOADSTOPPED")
        #expect(WorkloadTriggeredEvent.eventName.rawValue == "WORKLOADTRIGGERED")
        #expect(NexNodeStartedEvent.subject(from: "NODE") == "$NEX.FEED.NODE.events.NODESTARTED")
        #expect(WorkloadStoppedEvent.subject(from: "user") == "$NEX.FEED.user.events.WORKLOADSTOPPED")
        let started = NexNodeStartedEvent(id: "N", name: "nexnode", nexus: "nexus", tags: ["a": "b"])
        #expect(try GoJSON.encodeString(started)
                == #"{"id":"N","name":"nexnode","nexus":"nexus","tags":{"a":"b"},"type":"io.synadia.nex.event.nexnode_started"}"#)
        let stopped = WorkloadStoppedEvent(id: "W", namespace: "user", workloadType: "native")
        #expect(try GoJSON.encodeString(stopped) == #"{"id":"W","namespace":"user","workload_type":"native"}"#)
        let triggered = WorkloadTriggeredEvent(id: "W", namespace: "user", duration: 3)
        #expect(try GoJSON.encodeString(triggered) == #"{"duration":3,"id":"W","namespace":"user"}"#)
    }
}
