import Foundation
import JSONSchema
import Minter
import NexProtocol

/// The native nexlet's `run_request`: the reference's `StartRequest` (`uri`, `argv`, `environment`,
/// `description`, `expose_ports`) plus our optional `digest`, `encrypted_environment`, `workdir` and
/// `trigger_subject`. Unknown keys are ignored, as the schema allows them.
public struct NativeStartRequest: Sendable, Equatable {
    /// `file://<path>` or `nats://<bucket>/<name>[:<tag>]`.
    public var uri: String
    /// Arguments after argv[0] (which is always the artifact).
    public var argv: [String]
    /// Plain environment variables.
    public var environment: [String: String]
    public var description: String?
    public var exposePorts: [Int]
    /// The artifact's required SHA-256.
    public var digest: ArtifactDigest?
    /// More variables, sealed to the nexlet's xkey; they override plain ones of the same name.
    public var encryptedEnvironment: EncEnv?
    /// The working directory (absolute); the node's by default.
    public var workdir: String?
    /// Where a function listens; `<namespace>.<workloadId>` by default. Must lie inside `<namespace>.>`.
    public var triggerSubject: String?
    // issue 14: limits
    /// Memory, CPU and process limits (enforced with cgroups); empty = none.
    public var limits = WorkloadLimits()

    public init(
        uri: String, argv: [String] = [], environment: [String: String] = [:], description: String? = nil,
        exposePorts: [Int] = [], digest: ArtifactDigest? = nil, encryptedEnvironment: EncEnv? = nil,
        workdir: String? = nil, triggerSubject: String? = nil
    ) {
        self.uri = uri
        self.argv = argv
        self.environment = environment
        self.description = description
        self.exposePorts = exposePorts
        self.digest = digest
        self.encryptedEnvironment = encryptedEnvironment
        self.workdir = workdir
        self.triggerSubject = triggerSubject
    }

    /// Parses `run_request`, naming the offending key and value on any mistake.
    public init(parsing runRequest: String) throws(NativeStartError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Data(runRequest.utf8))
        } catch {
            throw .invalidRunRequest("run_request is not valid JSON")
        }
        guard case .object(let fields) = document else {
            throw .invalidRunRequest("run_request must be a JSON object, got \(document.typeName)")
        }
        let reader = FieldReader(fields: fields)
        guard let uri = try reader.string("uri") else { throw .invalidRunRequest("\"uri\" is required") }
        self.uri = uri
        argv = try reader.strings("argv") ?? []
        environment = try reader.stringMap("environment") ?? [:]
        description = try reader.string("description")
        exposePorts = try reader.integers("expose_ports") ?? []
        digest = try reader.string("digest").map { text throws(NativeStartError) in try ArtifactDigest(parsing: text) }
        if let sealed = try reader.object("encrypted_environment") {
            let inner = FieldReader(fields: sealed, context: "encrypted_environment.")
            guard let encryptedBy = try inner.string("encrypted_by"), let blob = try inner.string("base64_encrypted_env") else {
                throw .invalidRunRequest("\"encrypted_environment\" needs \"encrypted_by\" and \"base64_encrypted_env\"")
            }
            encryptedEnvironment = EncEnv(encryptedBy: encryptedBy, base64EncryptedEnv: blob)
        } else {
            encryptedEnvironment = nil
        }
        workdir = try reader.string("workdir")
        triggerSubject = try reader.string("trigger_subject")
        if let value = fields["limits"], value != .null {
            do {
                limits = try WorkloadLimits(json: value)
            } catch {
                throw .invalidRunRequest(error.description)
            }
            if let cpu = limits.cpu, cpu < Self.smallestCPU || cpu > Self.largestCPU {
                throw .invalidRunRequest("\"limits.cpu\" \(cpu) is outside \(Self.smallestCPU)...\(Int(Self.largestCPU)) cores")
            }
        }
        try WorkloadEnvironment.validate(environment, what: "environment")
        for (index, argument) in argv.enumerated() where argument.utf8.contains(0) {
            throw .invalidRunRequest("\"argv\" item \(index) contains a NUL byte")
        }
        if let port = exposePorts.first(where: { !(0...65535).contains($0) }) {
            throw .invalidRunRequest("\"expose_ports\" value \(port) is not a port number")
        }
    }

    /// The smallest CPU limit a cgroup can hold (a 1 ms quota per 100 ms period) and a sane largest.
    public static let smallestCPU = 0.01
    public static let largestCPU = 4096.0

    /// The parsed artifact reference.
    public var artifact: ArtifactReference {
        get throws(NativeStartError) { try ArtifactReference(uri: uri) }
    }
}

/// Typed access to the keys of a JSON object, with errors that name the key.
private struct FieldReader {
    let fields: [String: JSONValue]
    var context = ""

    private func mistake(_ key: String, _ expected: String, _ value: JSONValue) -> NativeStartError {
        .invalidRunRequest("\"\(context)\(key)\" must be \(expected), got \(value.typeName)")
    }

    /// nil when absent or JSON null.
    private func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(NativeStartError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw mistake(key, "a string", value) }
        return text
    }

    func object(_ key: String) throws(NativeStartError) -> [String: JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw mistake(key, "an object", value) }
        return object
    }

    func strings(_ key: String) throws(NativeStartError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mistake(key, "an array of strings", value) }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw .invalidRunRequest("\"\(context)\(key)\" must be an array of strings, item \(index) is \(item.typeName)")
            }
            result.append(text)
        }
        return result
    }

    func integers(_ key: String) throws(NativeStartError) -> [Int]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mistake(key, "an array of integers", value) }
        var result: [Int] = []
        for (index, item) in items.enumerated() {
            guard case .integer(let number) = item, let integer = Int(exactly: number) else {
                throw .invalidRunRequest("\"\(context)\(key)\" must be an array of integers, item \(index) is \(item.typeName)")
            }
            result.append(integer)
        }
        return result
    }

    func stringMap(_ key: String) throws(NativeStartError) -> [String: String]? {
        guard let object = try object(key) else { return nil }
        var result: [String: String] = [:]
        for (name, item) in object {
            guard case .string(let text) = item else {
                throw .invalidRunRequest("\"\(context)\(key)\" must map names to strings, \"\(name)\" is \(item.typeName)")
            }
            result[name] = text
        }
        return result
    }
}
