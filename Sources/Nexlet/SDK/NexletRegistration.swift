import Foundation
import NATSKit
import NATSSubjects
import NexProtocol

/// Who a nexlet is: the content of its REGISTER request.
public struct NexletRegistration: Sendable, Equatable {
    /// The agent name: the micro service name (`[A-Za-z0-9_-]+`) and the key of AGENTID lookups.
    public var name: String
    /// The workload type this nexlet serves (`workload_type` of start requests, `--type` in the CLI).
    public var registerType: String
    /// Semantic version (the micro service version).
    public var version: String
    /// A human-readable description of the nexlet.
    public var description: String
    /// 0 means unlimited.
    public var maxWorkloads: Int
    /// The nexlet's public curve key (`X…`); clients seal encrypted environments to it. See ``NexletXKey``.
    public var publicXkey: String
    /// Lifecycles this nexlet runs; the runner refuses others. Empty means "not declared" (nothing refused).
    public var supportedLifecycles: [WorkloadLifecycle]
    /// A JSON Schema document (as text) that start requests' `run_request` must satisfy; `{}` accepts anything.
    public var startRequestSchema: String

    public init(
        name: String, registerType: String, version: String, description: String = "", maxWorkloads: Int = 0,
        publicXkey: String, supportedLifecycles: [WorkloadLifecycle] = [], startRequestSchema: String = "{}"
    ) {
        self.name = name
        self.registerType = registerType
        self.version = version
        self.description = description
        self.maxWorkloads = maxWorkloads
        self.publicXkey = publicXkey
        self.supportedLifecycles = supportedLifecycles
        self.startRequestSchema = startRequestSchema
    }

    /// The REGISTER request body.
    public var request: RegisterAgentRequest {
        RegisterAgentRequest(
            name: name, registerType: registerType, version: version, description: description,
            maxWorkloads: Double(maxWorkloads), publicXkey: publicXkey, startRequestSchema: startRequestSchema,
            supportedLifecycles: supportedLifecycles.isEmpty ? nil : supportedLifecycles)
    }

    /// Whether a workload of `lifecycle` may start here.
    public func supports(_ lifecycle: WorkloadLifecycle) -> Bool {
        supportedLifecycles.isEmpty || supportedLifecycles.contains(lifecycle)
    }

    /// Checks everything the node or the micro service would reject later, so a bad registration fails before
    /// the node has registered anything (a registered agent id can not simply be reused).
    public func validate() throws(NexletRunnerError) {
        func invalid(_ reason: String) -> NexletRunnerError { .invalidRegistration(reason) }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isServiceNameScalar) else {
            throw invalid("name \"\(name)\" must be non-empty and match [A-Za-z0-9_-]+ (it names the micro service)")
        }
        guard SemanticVersion.isValid(version) else {
            throw invalid("version \"\(version)\" is not a semantic version (MAJOR.MINOR.PATCH)")
        }
        guard SubjectToken.isValid(registerType) else {
            throw invalid("register type \"\(registerType)\" must be a non-empty name without '.', '*', '>' or whitespace")
        }
        guard maxWorkloads >= 0 else { throw invalid("max workloads must not be negative (0 means unlimited)") }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(startRequestSchema.utf8), options: [.fragmentsAllowed])
        } catch {
            throw invalid("start request schema is not valid JSON: \(error.localizedDescription)")
        }
    }

    private static func isServiceNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
    }
}
