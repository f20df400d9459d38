import Foundation
import JSONSchema

/// What one workload may use: the optional `limits` object of a start request's `run_request`
/// (`{"memory": "64MiB", "cpu": 0.5, "pids": 64}`).
///
/// The native nexlet enforces it with cgroups; the node reads the same object (without knowing the nexlet) to
/// count memory against its `--reserve-memory` and a namespace's memory quota. Every key is optional; an absent
/// key means "no limit". One parser, so the node and the nexlet can never disagree on what a request asked for.
public struct WorkloadLimits: Sendable, Hashable {
    /// Memory ceiling (cgroup `memory.max` / `memory.limit_in_bytes`).
    public var memory: ByteSize?
    /// CPUs as a fraction of one core (`0.5` = half a core; cgroup quota over period).
    public var cpu: Double?
    /// Most processes and threads at once (cgroup `pids.max`).
    public var pids: Int?

    public init(memory: ByteSize? = nil, cpu: Double? = nil, pids: Int? = nil) {
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
    }

    public var isEmpty: Bool { memory == nil && cpu == nil && pids == nil }

    /// Why a `limits` object is refused; the text names the key and the value.
    public struct InvalidLimits: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Reads the `limits` object (`memory` a size string or a byte count, `cpu` a positive number, `pids` a
    /// positive integer). Unknown keys inside `limits` are refused: a misspelt limit must not silently be no limit.
    public init(json value: JSONValue) throws(InvalidLimits) {
        guard case .object(let fields) = value else {
            throw InvalidLimits("\"limits\" must be an object, got \(value.typeName)")
        }
        if let unknown = fields.keys.sorted().first(where: { !["memory", "cpu", "pids"].contains($0) }) {
            throw InvalidLimits("\"limits.\(unknown)\" is not a limit (use memory, cpu, pids)")
        }
        switch fields["memory"] {
        case nil, .null?: memory = nil
        case .string(let text)?:
            do { memory = try ByteSize(parsing: text) } catch { throw InvalidLimits("\"limits.memory\": \(error)") }
        case .integer(let bytes)?: memory = ByteSize(bytes: bytes)
        case let other?: throw InvalidLimits("\"limits.memory\" must be a size like \"64MiB\", got \(other.typeName)")
        }
        if let memory, memory.bytes < 1 << 20 {
            throw InvalidLimits("\"limits.memory\" \(memory) is below the smallest limit, 1MiB")
        }
        switch fields["cpu"] {
        case nil, .null?: cpu = nil
        case let number? where number.doubleValue != nil:
            guard let cores = number.doubleValue, cores.isFinite, cores > 0 else {
                throw InvalidLimits("\"limits.cpu\" must be a positive number of cores")
            }
            cpu = cores
        case let other?: throw InvalidLimits("\"limits.cpu\" must be a number of cores like 0.5, got \(other.typeName)")
        }
        switch fields["pids"] {
        case nil, .null?: pids = nil
        case .integer(let count)? where count > 0 && count <= Int64(Int32.max): pids = Int(count)
        case .integer?: throw InvalidLimits("\"limits.pids\" must be a positive integer")
        case let other?: throw InvalidLimits("\"limits.pids\" must be an integer, got \(other.typeName)")
        }
    }

    /// The `limits` of a start request's `run_request` text: `WorkloadLimits()` when the request has none or is
    /// not a JSON object (the nexlet reports a malformed request itself; the node only needs the numbers).
    public init(runRequest: String) throws(InvalidLimits) {
        guard let document = try? JSONValue(parsing: Data(runRequest.utf8)), case .object(let fields) = document,
              let limits = fields["limits"]
        else {
            self.init()
            return
        }
        if case .null = limits {
            self.init()
            return
        }
        try self.init(json: limits)
    }

    /// The `limits` object as JSON (keys in order, absent limits omitted).
    public var json: JSONValue {
        var fields: [String: JSONValue] = [:]
        if let memory { fields["memory"] = .string(memory.description) }
        if let cpu { fields["cpu"] = .number(cpu) }
        if let pids { fields["pids"] = .integer(Int64(pids)) }
        return .object(fields)
    }
}
