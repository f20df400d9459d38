import Foundation
import Glibc
import NexProtocol
import OffPool
import ProcessKit

extension NativeNexlet {
    /// STARTWORKLOAD (and, when `replayed`, the node's replay): checks the request, resolves the artifact,
    /// builds the environment and spawns the process (services and jobs) or prepares one per trigger
    /// (functions). Returns once the process runs and is recorded. Any failure leaves nothing behind: no
    /// process, no entry, no record. A replayed workload keeps its id (and its invented name,
    /// which derives from the id); if this instance already runs it, it is simply replayed.
    public func start(workloadID: String, request: AgentStartWorkloadRequest, replayed: Bool) async throws -> StartWorkloadResponse {
        var definition = request.request
        guard Self.isWorkloadID(workloadID) else { throw NativeStartError.invalidWorkloadID(workloadID) }
        guard !definition.namespace.isEmpty else { throw NativeStartError.missingNamespace }
        if replayed, let running = stillRunning(workloadID, namespace: definition.namespace) { return running }
        let parsed = try NativeStartRequest(parsing: definition.runRequest)
        let artifact = try parsed.artifact
        if definition.name.isEmpty { definition.name = WorkloadNames.name(for: workloadID) }
        let lifecycle = definition.workloadLifecycle
        let trigger = lifecycle == .function
            ? try Self.triggerSubject(parsed.triggerSubject, workloadID: workloadID, namespace: definition.namespace)
            : nil
        if let workdir = parsed.workdir { try Self.checkWorkdir(workdir) }

        // issue 14: limits. Refused before anything is made where they cannot be enforced.
        if !parsed.limits.isEmpty, case .failure(let reason) = cgroupHost { throw NativeStartError.limitsUnenforceable(reason.description) }
        var entry = WorkloadEntry(
            id: workloadID, request: definition, startTime: .now(), exposedPorts: parsed.exposePorts, triggerSubject: trigger)
        entry.limits = parsed.limits
        if lifecycle == .function { entry.gate = FunctionGate(limit: options.maxFunctionConcurrency) }
        try state.withLock { state throws(NativeStartError) in
            if state.lameduck { throw .lameduck }
            if state.workloads[workloadID] != nil { throw .duplicateWorkload(workloadID) }
            state.workloads[workloadID] = entry
        }
        do {
            let spec = try await prepare(parsed, artifact: artifact, request: request, workloadID: workloadID)
            if lifecycle == .function {
                let stopRequested = state.withLock { state -> Bool in
                    let requested = state.workloads[workloadID]?.stopRequested ?? true
                    if !requested { Self.settle(workloadID, runner: .function(spec), state: .warm, in: &state) }
                    return requested
                }
                if stopRequested { throw NativeStartError.stoppedWhileStarting(workloadID) }
            } else {
                try await launch(spec, workloadID: workloadID, namespace: definition.namespace, lifecycle: lifecycle)
            }
        } catch {
            await releaseCgroup(workloadID)
            state.withLock { Self.remove(workloadID, from: &$0) }
            throw error
        }
        logger.info("workload started", metadata: [
            "workload": "\(workloadID)", "namespace": "\(definition.namespace)", "name": "\(definition.name)",
            "lifecycle": "\(lifecycle.rawValue)", "replayed": "\(replayed)",
        ])
        return StartWorkloadResponse(id: workloadID, name: definition.name)
    }

    /// The answer for a replayed workload this instance still runs.
    private func stillRunning(_ workloadID: String, namespace: String) -> StartWorkloadResponse? {
        state.withLock { state in
            guard let entry = state.workloads[workloadID], entry.namespace == namespace, entry.ending == nil else { return nil }
            return StartWorkloadResponse(id: workloadID, name: entry.request.name)
        }
    }

    /// The environment (decrypted first: it fails cheaply) and the artifact, as a process spec.
    private func prepare(
        _ parsed: NativeStartRequest, artifact: ArtifactReference, request: AgentStartWorkloadRequest, workloadID: String
    ) async throws -> ProcessSpec {
        var user = parsed.environment
        if let sealed = parsed.encryptedEnvironment {
            let opened: [String: String]
            do {
                opened = try xkey.openEnvironment(sealed)
            } catch {
                throw NativeStartError.encryptedEnvironment("\(error)")
            }
            try WorkloadEnvironment.validate(opened, what: "encrypted_environment")
            user.merge(opened) { _, decrypted in decrypted }
        }
        let connection = state.withLock { $0.host?.connection }
        let resolved = try await artifacts.resolve(artifact, uri: parsed.uri, digest: parsed.digest, connection: connection)
        let environment = WorkloadEnvironment.build(
            path: options.path, user: user, credentials: request.workloadCreds, workloadID: workloadID,
            namespace: request.request.namespace, owner: options.stateDirectory?.path)
        var spec = ProcessSpec(
            executablePath: resolved.path, arguments: parsed.argv, environment: environment, workingDirectory: parsed.workdir)
        // issue 12: sandbox
        spec.verification = ArtifactResolver.verification(of: resolved)
        if let sandboxing {
            let lease = try await Self.lease(sandboxing, workloadID: workloadID)
            update(workloadID) { $0.sandbox = lease }
            spec.sandbox = lease.processSandbox
            spec.environment["HOME"] = lease.home.path
            if spec.workingDirectory == nil { spec.workingDirectory = lease.home.path }
        }
        // issue 14: limits. The process joins the cgroup between fork and exec, at every (re)start.
        if !parsed.limits.isEmpty {
            let group = try await makeCgroup(parsed.limits, workloadID: workloadID)
            update(workloadID) { $0.cgroup = group }
            spec.cgroupProcsFiles = group.procsFiles
        }
        return spec
    }

    /// A sandbox for the workload, made on a blocking-I/O thread (it scans `/proc` and creates a directory).
    private static func lease(_ sandboxing: WorkloadSandboxing, workloadID: String) async throws -> SandboxLease {
        let result = try await Blocking.run { () -> Result<SandboxLease, NativeStartError> in
            Result { () throws(NativeStartError) in try sandboxing.lease(workloadID) }
        }
        return try result.get()
    }

    /// Spawns a service or job under a supervisor and waits until its first process is recorded. A stop that
    /// came in meanwhile is honoured here: the process is stopped again and the start fails.
    private func launch(_ spec: ProcessSpec, workloadID: String, namespace: String, lifecycle: WorkloadLifecycle) async throws {
        let mode: SupervisionMode = lifecycle == .job ? .job : .service(options.restartPolicy)
        let supervisor = try await Self.startSupervisor(spec: spec, mode: mode, grace: options.stopGrace) { [weak self] line in
            self?.forward(line, workloadID: workloadID, namespace: namespace)
        }
        let (firstStart, signal) = AsyncStream<Void>.makeStream()
        let monitor = Task {
            await self.monitor(supervisor, workloadID: workloadID, namespace: namespace, lifecycle: lifecycle, firstStart: signal)
        }
        for await _ in firstStart { break }
        let stopRequested = state.withLock { state -> Bool in
            guard var entry = state.workloads[workloadID] else { return true }
            if entry.stopRequested {
                entry.ending = .stopping
                entry.state = .stopping
                state.workloads[workloadID] = entry
            }
            Self.settle(workloadID, runner: .supervised(supervisor, monitor: monitor), state: nil, in: &state)
            return entry.stopRequested
        }
        guard stopRequested else { return }
        await supervisor.stop(grace: options.stopGrace)
        await monitor.value
        await processRecords?.remove(workloadID)
        throw NativeStartError.stoppedWhileStarting(workloadID)
    }

    /// Starts the supervisor's first process. A freshly written cached artifact can briefly be busy
    /// (`ETXTBSY`: a concurrent fork still holds a write descriptor); that is retried a few times.
    private static func startSupervisor(
        spec: ProcessSpec, mode: SupervisionMode, grace: Duration, sink: @escaping @Sendable (LogLine) async -> Void
    ) async throws(NativeStartError) -> ProcessSupervisor {
        var attempt = 0
        while true {
            let supervisor = ProcessSupervisor(spec: spec, mode: mode, stopGrace: grace, logSink: sink)
            do {
                try await supervisor.start()
                return supervisor
            } catch {
                attempt += 1
                if case .spawnFailed(_, let code) = error, code == ETXTBSY, attempt < 5 {
                    try? await Task.sleep(for: .milliseconds(10 * attempt))
                    continue
                }
                throw spawnError(error)
            }
        }
    }

    /// ProcessKit's precise reasons, in the nexlet's words.
    static func spawnError(_ error: ProcessError) -> NativeStartError {
        switch error {
        case .executableNotFound(let path): return .artifactNotFound(uri: "file://\(path)", reason: "no file at \(path)")
        case .executableIsDirectory(let path): return .artifactIsDirectory(path: path)
        case .executableNotRegularFile(let path): return .artifactNotRegularFile(path: path)
        case .executableNotExecutable(let path): return .artifactNotExecutable(path: path)
        case .invalidWorkingDirectory(let path): return .invalidWorkdir(path: path, reason: "not an existing directory")
        default: return .spawnFailed(error.description)
        }
    }

    // MARK: Checks

    /// Ids become subjects and file names: letters, digits, `-` and `_` only.
    static func isWorkloadID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
        }
    }

    /// The function's trigger subject: `<namespace>.<workloadId>`, or the requested one if it is a valid
    /// subject inside `<namespace>.>` (which the workload's credentials may subscribe to).
    static func triggerSubject(_ requested: String?, workloadID: String, namespace: String) throws(NativeStartError) -> String {
        // issue 12: the namespace must be one literal token, or `<namespace>.>` could reach other namespaces.
        guard !namespace.isEmpty, !namespace.contains(where: { $0 == "." || $0 == "*" || $0 == ">" || $0.isWhitespace }) else {
            throw .invalidTriggerSubject(subject: requested ?? "\(namespace).\(workloadID)", namespace: namespace)
        }
        guard let requested else { return "\(namespace).\(workloadID)" }
        let tokens = requested.split(separator: ".", omittingEmptySubsequences: false)
        let wellFormed = tokens.enumerated().allSatisfy { index, token in
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else { return false }
            if token == ">" { return index == tokens.count - 1 }
            return token == "*" || !(token.contains("*") || token.contains(">"))
        }
        guard tokens.count >= 2, wellFormed, tokens.first.map(String.init) == namespace else {
            throw .invalidTriggerSubject(subject: requested, namespace: namespace)
        }
        return requested
    }

    static func checkWorkdir(_ path: String) throws(NativeStartError) {
        guard path.hasPrefix("/") else { throw .invalidWorkdir(path: path, reason: "must be an absolute path") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .invalidWorkdir(path: path, reason: "not an existing directory")
        }
    }
}
