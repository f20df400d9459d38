import Foundation
import JSONSchema
import NATSSubjects
import NexProtocol

/// What `workload start` asks to run, from flags, a Nexfile and config files. A flag typed on the command
/// line beats the Nexfile, which beats config files and defaults (the Go CLI let the Nexfile override
/// everything, contrary to its documentation; we follow the documentation).
struct WorkloadDefinition: Sendable, Equatable {
    var name: String
    var description: String
    var tags: NodeTags
    var type: String
    var lifecycle: WorkloadLifecycle
    var startRequest: JSONValue
    /// Where the Nexfile came from, if one was used.
    var nexfile: String?

    static func resolve(_ settings: ResolvedSettings) throws(CLIError) -> WorkloadDefinition {
        let nexfilePath = try Self.nexfilePath(settings)
        let nexfile = try nexfilePath.map { (path: String) throws(CLIError) -> Nexfile in try NexfileLoader.load(path) }

        func pick(_ setting: Setting, _ fromFile: String?) -> String {
            if settings.isFlag(setting) { return settings.string(setting) }
            return fromFile ?? settings.string(setting)
        }
        let name = pick(WorkloadSettings.name, nexfile?.name)
        let description = pick(WorkloadSettings.description, nexfile?.description)
        let type = pick(WorkloadSettings.type, nexfile?.type)
        guard SubjectToken.isValid(type) else {
            throw CLIError("invalid workload type \"\(type)\"", hint: "use a nexlet type such as \"native\"", exitCode: ExitStatus.usage)
        }
        let lifecycleText = pick(WorkloadSettings.lifecycle, nexfile?.lifecycle?.rawValue)
        let lifecycle = WorkloadLifecycle(rawValue: lifecycleText) ?? .service
        let tags = settings.isFlag(WorkloadSettings.tags) ? settings.map(WorkloadSettings.tags) : (nexfile?.tags ?? settings.map(WorkloadSettings.tags))

        let startRequest: JSONValue
        if settings.isFlag(WorkloadSettings.startRequest) || (nexfile?.startRequest == nil && settings.isSet(WorkloadSettings.startRequest)) {
            startRequest = try parseStartRequest(settings.string(WorkloadSettings.startRequest))
        } else if let fromFile = nexfile?.startRequest {
            startRequest = fromFile
        } else {
            throw CLIError("no start request", hint: "pass --start-request '{\"uri\": \"file:///path/to/binary\"}' or a Nexfile (-f Nexfile)", exitCode: ExitStatus.usage)
        }
        return WorkloadDefinition(
            name: name, description: description, tags: tags, type: type, lifecycle: lifecycle,
            startRequest: try withLimits(startRequest, settings), nexfile: nexfilePath)
    }

    // issue 14: limits
    /// `--memory`, `--cpu` and `--pids` (each from wherever it was set) over the start request's own `limits`,
    /// checked with the parser the nexlet and node use.
    private static func withLimits(_ startRequest: JSONValue, _ settings: ResolvedSettings) throws(CLIError) -> JSONValue {
        var given: [String: JSONValue] = [:]
        if let memory = settings.nonEmpty(WorkloadSettings.memory) { given["memory"] = .string(memory) }
        if let cpu = settings.nonEmpty(WorkloadSettings.cpu) {
            guard let cores = Double(cpu) else {
                throw CLIError("--cpu \"\(cpu)\" is not a number of cores", hint: "e.g. --cpu 0.5", exitCode: ExitStatus.usage)
            }
            given["cpu"] = .number(cores)
        }
        if settings.int(WorkloadSettings.pids) > 0 { given["pids"] = .integer(Int64(settings.int(WorkloadSettings.pids))) }
        guard !given.isEmpty else { return startRequest }
        guard case .object(var fields) = startRequest else {
            throw CLIError("the start request must be a JSON object to take --memory, --cpu or --pids", exitCode: ExitStatus.usage)
        }
        var limits: [String: JSONValue] = [:]
        if case .object(let existing)? = fields["limits"] { limits = existing }
        limits.merge(given) { _, flag in flag }
        do {
            _ = try WorkloadLimits(json: .object(limits))
        } catch {
            throw CLIError("invalid limits: \(error)", hint: "e.g. --memory 64MiB --cpu 0.5 --pids 64", exitCode: ExitStatus.usage)
        }
        fields["limits"] = .object(limits)
        return .object(fields)
    }

    /// `--nexfile` (`-` = stdin), else `./Nexfile` when it is a regular file.
    private static func nexfilePath(_ settings: ResolvedSettings) throws(CLIError) -> String? {
        if let given = settings.nonEmpty(WorkloadSettings.nexfile) { return given }
        let local = FileManager.default.currentDirectoryPath + "/" + Nexfile.defaultName
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), !isDirectory.boolValue { return local }
        return nil
    }

    private static func parseStartRequest(_ text: String) throws(CLIError) -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw CLIError("--start-request is not valid JSON (\(JSONOutput.syntaxError(in: Data(text.utf8))))", hint: "pass a JSON object, e.g. '{\"uri\": \"file:///usr/bin/true\"}'", exitCode: ExitStatus.usage)
        }
    }
}
