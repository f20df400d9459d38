import Foundation
import NexProtocol
import Testing

@Suite("Node tags and health")
struct NodeTagTests {
    @Test("reserved tags use Go spellings")
    func reserved() throws {
        let tags = NexTag.reservedTags(nexus: "nexus", nodeName: "nexnode")
        #expect(Set(tags.keys) == Set(NexTag.reservedKeys))
        #expect(["linux", "darwin"].contains(try #require(tags[NexTag.os])))
        #expect(["amd64", "arm64"].contains(try #require(tags[NexTag.arch])))
        #expect(Int(try #require(tags[NexTag.cpuCount])).map { $0 > 0 } == true)
        #expect(tags[NexTag.lameduck] == "false")
        #expect(NexTag.reservedTags(nexus: "n", nodeName: "x", lameduck: true)[NexTag.lameduck] == "true")
        #expect(tags[NexTag.nexus] == "nexus" && tags[NexTag.node] == "nexnode")
    }

    @Test("uname spellings map to Go's", arguments: [
        ("Linux", "x86_64", "linux", "amd64"), ("Linux", "aarch64", "linux", "arm64"),
        ("Darwin", "arm64", "darwin", "arm64"), ("Darwin", "x86_64", "darwin", "amd64"),
        ("Linux", "riscv64", "linux", "riscv64"),
    ])
    func uname(_ system: String, _ machine: String, _ os: String, _ arch: String) {
        #expect(GoPlatform(unameSystem: system, machine: machine) == GoPlatform(os: os, arch: arch))
    }

    @Test("user tags may not use the nex. prefix")
    func userTags() {
        #expect(throws: Never.self) { try NexTag.validateUserTags(["foo": "bar", "nex": "test", "nexus": "x"]) }
        #expect(throws: NodeTagError.reservedKey("nex.os")) { try NexTag.validateUserTags(["nex.os": "plan9"]) }
        #expect(throws: NodeTagError.emptyKey) { try NexTag.validateUserTags(["": "x"]) }
        #expect(NodeTagError.reservedKey("nex.x").description.contains("reserved prefix \"nex.\""))
    }

    @Test("tag filters match when every pair is present with the same value")
    func matching() {
        let tags: NodeTags = ["foo": "bar", "nex.lameduck": "false"]
        #expect(NexTag.matches(nil, tags: tags))
        #expect(NexTag.matches([:], tags: nil))
        #expect(NexTag.matches(["foo": "bar"], tags: tags))
        #expect(!NexTag.matches(["foo": "baz"], tags: tags))
        #expect(!NexTag.matches(["foo": "bar", "x": "y"], tags: tags))
        #expect(!NexTag.matches(["foo": "bar"], tags: nil))
    }

    @Test("agent health strings, stoplights and heartbeat mapping")
    func health() {
        #expect(AgentHealth.allCases.map(\.rawValue) == ["healthy", "shutting down", "degraded", "offline", "unknown"])
        #expect(AgentHealth.allCases.map(\.stoplight) == ["🟢", "🟠", "🟡", "🔴", "⚪️"])
        #expect(AgentHealth.unknown.stoplight.unicodeScalars.map(\.value) == [0x26AA, 0xFE0F])
        #expect(AgentHealth(heartbeatState: "running") == .healthy)
        #expect(AgentHealth(heartbeatState: "starting") == .degraded)
        #expect(AgentHealth(heartbeatState: "error") == .degraded)
        #expect(AgentHealth(heartbeatState: "lameduck") == .shuttingDown)
        #expect(AgentHealth(heartbeatState: "stopping") == .shuttingDown)
        #expect(AgentHealth(heartbeatState: "") == .unknown)
        let summary = NodeAgentSummary(agentID: "A", health: .degraded)
        #expect(summary.agentHealth == "degraded" && summary.agentHealthStoplight == "🟡")
    }

    @Test("list filter semantics")
    func listFilter() {
        #expect(AgentListWorkloadsRequest(namespace: "u", filter: nil).keeps(id: "a", name: "b"))
        #expect(AgentListWorkloadsRequest(namespace: "u", filter: []).keeps(id: "a", name: "b"))
        #expect(AgentListWorkloadsRequest(namespace: "u", filter: ["b"]).keeps(id: "a", name: "b"))
        #expect(!AgentListWorkloadsRequest(namespace: "u", filter: ["c"]).keeps(id: "a", name: "b"))
    }
}
