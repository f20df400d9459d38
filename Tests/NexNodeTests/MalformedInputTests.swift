import Foundation
import NATSKit
import NATSTestSupport
import NexNode
import NexProtocol
import Testing

/// Garbage on every control subject: each message gets a 400 or silence, the node keeps serving, and its
/// memory does not grow with the garbage.
@Suite struct MalformedInputTests {
    static func payloads(count: Int, seed: UInt64) -> [Data] {
        var generator = SeededGenerator(seed: seed)
        let fragments = ["{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"namespace\"", "\"filter\"",
                         "\"delay\"", "\"agent_type\"", "\"tags\"", "{\"a\":", "\\u0000", "\u{FFFF}", "\"x\"", "9999999999999999999999"]
        return (0..<count).map { index in
            switch index % 4 {
            case 0:
                return Data((0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            case 1:
                return Data((0..<Int.random(in: 1...12, using: &generator)).map { _ in fragments.randomElement(using: &generator) ?? "" }.joined().utf8)
            case 2:
                // Well-formed JSON of the wrong shape.
                return Data(#"{"namespace":7,"filter":"x","delay":[],"agent_type":{},"tags":"y","workload_type":null}"#.utf8)
            default:
                return Data(#"{"delay":"forever","namespace":"user","filter":null,"agent_type":"","auction_id":"","tags":null}"#.utf8)
            }
        }
    }

    @Test func garbageOnEveryControlSubject() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let node = harness.node.id
            let subjects = [
                NexSubject.ping(namespace: "system"), NexSubject.pingNode(namespace: "system", nodeID: node),
                NexSubject.info(namespace: "system", nodeID: node), NexSubject.lameduck(namespace: "system", nodeID: node),
                NexSubject.agentID(namespace: "system", nodeID: node), NexSubject.placementTags(namespace: "system"),
                NexSubject.auction(namespace: "user"), NexSubject.auctionDeploy(namespace: "user", bidID: "unknownbid"),
                NexSubject.undeploy(namespace: "user", workloadID: "w1"), NexSubject.clone(namespace: "user", workloadID: "w1"),
                NexSubject.workloadPing(namespace: "user"), NexSubject.register(nodeID: node, agentID: "agent1"),
            ]
            let replies = try harness.client.subscribe("garbage.replies", buffering: .unbounded)
            try await harness.client.flush()
            let before = residentKiB()
            var sent = 0
            for (index, subject) in subjects.enumerated() {
                for payload in Self.payloads(count: 1000, seed: UInt64(index + 1)) {
                    try harness.client.publish(subject, payload: payload, replyTo: "garbage.replies")
                    sent += 1
                }
                try await harness.client.flush()
            }
            // Still serving, and every reply so far is a 400 (or a harmless answer to a request that ignores
            // its body, such as PTAGS/INFO).
            let ping = try await harness.request(NexSubject.pingNode(namespace: "system", nodeID: node), NodePingRequest(filter: nil), timeout: .seconds(30))
            #expect(try ping.decode(NodePingResponse.self).nodeID == node)
            replies.unsubscribe()
            var errors = 0, answers = 0, unexpected: [String] = []
            for await reply in replies {
                if let error = reply.nexError {
                    errors += 1
                    if error.status != 400 && error.status != 403 { unexpected.append("\(reply.subject): \(error.status) \(error.body)") }
                } else {
                    answers += 1
                }
            }
            #expect(unexpected.isEmpty, "unexpected error replies: \(unexpected.prefix(5))")
            #expect(errors > 5000)
            #expect(errors + answers <= sent)
            // PTAGS and INFO ignore their body (2,000 answers); lameduck never succeeded on garbage.
            #expect(harness.node.state == .running)
            let after = residentKiB()
            #expect(after - before < 64 * 1024, "resident memory grew by \(after - before) KiB")
        }
    }
}

/// Resident set size of this process in KiB (from /proc).
func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

/// A small deterministic generator (SplitMix64) so failures can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
