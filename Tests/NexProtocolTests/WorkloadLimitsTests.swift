import JSONSchema
import NexProtocol
import Testing

@Suite struct ByteSizeTests {
    @Test(arguments: [
        ("4096", 4096), ("64MiB", 64 << 20), ("64mib", 64 << 20), ("2GiB", 2 << 30), ("512KiB", 512 << 10),
        ("500MB", 500_000_000), ("1kB", 1000), ("64m", 64 << 20), ("1.5G", 3 << 29), (" 1 GiB ", 1 << 30), ("10B", 10),
    ] as [(String, Int64)])
    func parses(text: String, bytes: Int64) throws {
        #expect(try ByteSize(parsing: text).bytes == bytes)
    }

    @Test(arguments: ["", "MiB", "-1MiB", "12 parsecs", "1e3", "0x10", "nan", "1..2G", "99999999999999999999TiB"])
    func refuses(text: String) {
        #expect(throws: ByteSize.ParseError(text: text)) { try ByteSize(parsing: text) }
    }

    @Test func printsTheShortestExactBinaryForm() {
        #expect(ByteSize(bytes: 64 << 20).description == "64MiB")
        #expect(ByteSize(bytes: 1536 << 10).description == "1536KiB")
        #expect(ByteSize(bytes: 1000).description == "1000B")
    }
}

@Suite struct WorkloadLimitsTests {
    @Test func readsTheLimitsOfARunRequest() throws {
        let limits = try WorkloadLimits(runRequest: #"{"uri":"file:///bin/true","limits":{"memory":"64MiB","cpu":0.5,"pids":64}}"#)
        #expect(limits == WorkloadLimits(memory: ByteSize(bytes: 64 << 20), cpu: 0.5, pids: 64))
        #expect(try WorkloadLimits(runRequest: #"{"limits":{"memory":1073741824,"cpu":2}}"#)
            == WorkloadLimits(memory: ByteSize(bytes: 1 << 30), cpu: 2))
    }

    @Test func noLimitsIsEmpty() throws {
        #expect(try WorkloadLimits(runRequest: #"{"uri":"file:///bin/true"}"#).isEmpty)
        #expect(try WorkloadLimits(runRequest: #"{"limits":null}"#).isEmpty)
        #expect(try WorkloadLimits(runRequest: "not json").isEmpty)
    }

    @Test(arguments: [
        (#"{"limits":[]}"#, "\"limits\" must be an object, got array"),
        (#"{"limits":{"memroy":"1GiB"}}"#, "\"limits.memroy\" is not a limit (use memory, cpu, pids)"),
        (#"{"limits":{"memory":"lots"}}"#, "\"limits.memory\": \"lots\" is not a size (use bytes or a unit: 64MiB, 2GiB, 500MB, 1G)"),
        (#"{"limits":{"memory":"512KiB"}}"#, "\"limits.memory\" 512KiB is below the smallest limit, 1MiB"),
        (#"{"limits":{"cpu":0}}"#, "\"limits.cpu\" must be a positive number of cores"),
        (#"{"limits":{"cpu":"half"}}"#, "\"limits.cpu\" must be a number of cores like 0.5, got string"),
        (#"{"limits":{"pids":-3}}"#, "\"limits.pids\" must be a positive integer"),
        (#"{"limits":{"pids":1.5}}"#, "\"limits.pids\" must be an integer, got number"),
    ])
    func refusesWithTheKeyNamed(runRequest: String, message: String) {
        #expect(throws: WorkloadLimits.InvalidLimits(message)) { try WorkloadLimits(runRequest: runRequest) }
    }

    @Test func roundTripsThroughJSON() throws {
        let limits = WorkloadLimits(memory: ByteSize(bytes: 64 << 20), cpu: 0.25, pids: 10)
        #expect(try WorkloadLimits(json: limits.json) == limits)
    }
}
