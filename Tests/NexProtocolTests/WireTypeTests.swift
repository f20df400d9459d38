import Foundation
import JSONSchema
@testable import NexProtocol
import Testing

/// A (type, key) pair for the generated missing-key and null-value tests.
struct FieldCase: Sendable, CustomTestStringConvertible {
    let wire: WireCase
    let key: String
    var testDescription: String { "\(wire.typeName).\(key)" }
}

private func objectWithout(_ key: String, from data: Data) throws -> Data {
    guard case .object(var object) = try JSONValue(parsing: data) else {
        throw GoJSONError.malformed("sample is not an object")
    }
    object.removeValue(forKey: key)
    return try GoJSON.encode(JSONValue.object(object))
}

private func object(_ data: Data, setting key: String, to value: JSONValue) throws -> Data {
    guard case .object(var object) = try JSONValue(parsing: data) else {
        throw GoJSONError.malformed("sample is not an object")
    }
    object[key] = value
    return try GoJSON.encode(JSONValue.object(object))
}

@Suite("Wire types")
struct WireTypeTests {
    static let requiredFieldCases = WireCatalog.cases.flatMap { wire in
        wire.requiredKeys.map { FieldCase(wire: wire, key: $0) }
    }

    @Test("every type round-trips to an equal value and identical bytes", arguments: WireCatalog.cases)
    func roundTrip(_ wire: WireCase) throws {
        #expect(try wire.roundTripsEqual())
        let bytes = try wire.encode()
        #expect(try wire.reencode(bytes) == bytes)
    }

    @Test("every required key is always emitted, in alphabetical (Go struct) order", arguments: WireCatalog.cases)
    func emitsRequiredKeysInOrder(_ wire: WireCase) throws {
        let keys = wire.fields.map(\.key)
        // NexErrorBody mirrors the Go error reply, whose key order is error_id, error.
        if wire.typeName != "NexErrorBody" {
            #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        guard case .object(let object) = try JSONValue(parsing: wire.encode()) else {
            Issue.record("not an object")
            return
        }
        for key in wire.requiredKeys {
            #expect(object[key] != nil, "\(key) missing from \(wire.typeName)")
        }
    }

    @Test("a missing required key is rejected with Go's message", arguments: requiredFieldCases)
    func missingRequiredKey(_ field: FieldCase) throws {
        let data = try objectWithout(field.key, from: field.wire.encode())
        #expect(throws: GoJSONError.missingRequiredField(field: field.key, type: field.wire.goTypeName)) {
            try field.wire.reencode(data)
        }
        let message = "field \(field.key) in \(field.wire.goTypeName): required"
        #expect(GoJSONError.missingRequiredField(field: field.key, type: field.wire.goTypeName).description == message)
    }

    @Test("a required key present with null decodes as the zero value (enums reject it)", arguments: requiredFieldCases)
    func nullRequiredKey(_ field: FieldCase) throws {
        let data = try object(field.wire.encode(), setting: field.key, to: .null)
        if field.wire.enumKeys.contains(field.key) {
            #expect(throws: GoJSONError.self) { try field.wire.reencode(data) }
        } else {
            let reencoded = try field.wire.reencode(data)
            guard case .object(let object) = try JSONValue(parsing: reencoded) else {
                Issue.record("not an object")
                return
            }
            #expect(object[field.key] != nil)
        }
    }

    @Test("unknown keys are ignored and a null document is the zero value")
    func unknownKeysAndNullDocument() throws {
        let data = Data(#"{"id":"a","name":"b","Extra":1,"nested":{"x":[1,2]}}"#.utf8)
        #expect(try GoJSON.decode(StartWorkloadResponse.self, from: data) == StartWorkloadResponse(id: "a", name: "b"))
        #expect(try GoJSON.decode(StartWorkloadRequest.self, from: "null") == StartWorkloadRequest())
        #expect(throws: GoJSONError.self) { try GoJSON.decode(StartWorkloadResponse.self, from: "[]") }
        #expect(throws: GoJSONError.self) { try GoJSON.decode(StartWorkloadResponse.self, from: "{") }
        // The required check is case-sensitive, like Go's.
        #expect(throws: GoJSONError.missingRequiredField(field: "namespace", type: "StopWorkloadRequest")) {
            try GoJSON.decode(StopWorkloadRequest.self, from: #"{"Namespace":"x"}"#)
        }
    }

    // issue 12: private inboxes
    @Test("nats_inbox_prefix is sent only when set, so credentials without it are the reference's bytes")
    func inboxPrefixKey() throws {
        let plain = try GoJSON.encodeString(NatsConnectionData(natsServers: ["nats://a:4222"]))
        #expect(!plain.contains("nats_inbox_prefix"))
        let boxed = try GoJSON.encodeString(NatsConnectionData(natsServers: ["nats://a:4222"], natsInboxPrefix: "_INBOX_w1"))
        #expect(boxed.contains(#""nats_inbox_prefix":"_INBOX_w1""#))
        #expect(try GoJSON.decode(NatsConnectionData.self, from: boxed).natsInboxPrefix == "_INBOX_w1")
        #expect(try GoJSON.decode(NatsConnectionData.self, from: plain).natsInboxPrefix == "")
    }

    @Test("null values decode to Go zero values")
    func nullValues() throws {
        let request = try GoJSON.decode(AgentStartWorkloadRequest.self, from: #"{"request":null,"workload_creds":null}"#)
        #expect(request == AgentStartWorkloadRequest())
        let summary = try GoJSON.decode(AgentSummary.self, from: """
            {"name":null,"start_time":null,"state":null,"supported_lifecycles":null,"type":null,"version":null,"workload_count":null}
            """)
        #expect(summary == AgentSummary())
        #expect(summary.startTime.isZero)
        let ping = try GoJSON.decode(NodePingRequest.self, from: #"{"filter":null}"#)
        #expect(ping.filter == nil)
        #expect(try GoJSON.encodeString(ping) == #"{"filter":null}"#)
    }

    @Test("enum values outside the set are rejected", arguments: [
        (#"{"description":"","name":"","namespace":"","run_request":"","tags":null,"workload_lifecycle":"daemon","workload_type":""}"#,
         "StartWorkloadRequest"),
        (#"{"description":"","name":"","namespace":"","run_request":"","tags":null,"workload_lifecycle":"","workload_type":""}"#,
         "StartWorkloadRequest"),
        (#"{"agent_count":0,"node_id":"","start_time":"0001-01-01T00:00:00Z","state":"sleeping","tags":null,"version":"","xkey":""}"#,
         "NodePingResponse"),
        (#"{"id":"","name":"","runtime":"","start_time":"","tags":null,"workload_lifecycle":"","workload_state":"RUNNING","workload_type":""}"#,
         "WorkloadSummary"),
        (#"{"command":"delete","upstream":"","workload_id":""}"#, "AgentIngressMsg"),
        (#"{"bidder_id":"","start_request_schema":"","supported_lifecycles":["service","cron"],"xkey":""}"#,
         "AuctionResponse"),
    ])
    func enumRejection(_ json: String, _ type: String) throws {
        let decode: (String) throws -> Void = switch type {
        case "StartWorkloadRequest": { _ = try GoJSON.decode(StartWorkloadRequest.self, from: $0) }
        case "NodePingResponse": { _ = try GoJSON.decode(NodePingResponse.self, from: $0) }
        case "WorkloadSummary": { _ = try GoJSON.decode(WorkloadSummary.self, from: $0) }
        case "AgentIngressMsg": { _ = try GoJSON.decode(AgentIngressMsg.self, from: $0) }
        default: { _ = try GoJSON.decode(AuctionResponse.self, from: $0) }
        }
        #expect {
            try decode(json)
        } throws: { error in
            guard case GoJSONError.invalidEnumValue = error else { return false }
            return true
        }
    }

    @Test("enum error names the allowed values")
    func enumErrorText() {
        #expect(throws: GoJSONError.invalidEnumValue(type: "WorkloadLifecycle", value: "cron",
                                                     allowed: ["service", "job", "function"])) {
            try WorkloadLifecycle.parse("cron")
        }
        let text = GoJSONError.invalidEnumValue(type: "NodeState", value: "", allowed: ["starting"]).description
        #expect(text == #"invalid value for NodeState (expected one of "starting"): """#)
    }

    @Test("a workload summary keeps a free-form lifecycle and agent state")
    func freeStrings() throws {
        let json = #"{"id":"a","name":"b","runtime":"--","start_time":"x","tags":null,"workload_lifecycle":"whatever","workload_state":"warm","workload_type":"t"}"#
        let summary = try GoJSON.decode(WorkloadSummary.self, from: json)
        #expect(summary.workloadLifecycle == "whatever")
        #expect(summary.namespace == nil)
        #expect(try GoJSON.encodeString(summary) == json)
    }
}
