import Foundation
import Glibc
import NexProtocol
import ProcessKit

extension NativeNexlet {
    /// `<namespace>.<workloadId>`, or the start request's `trigger_subject` (checked to lie in the namespace).
    public func triggerSubject(workloadID: String, request: StartWorkloadRequest) -> String? {
        state.withLock { $0.workloads[workloadID]?.triggerSubject }
    }

    /// Runs the function's process once: the message on stdin, `NEX_TRIGGER_SUBJECT` in its environment,
    /// stdout as the reply, stderr to the log feed. A non-zero exit, a timeout or oversized output is an
    /// error (its text goes into the reply's `error` header).
    ///
    /// At most `maxFunctionConcurrency` invocations of one function run at once; more wait their turn (up to the
    /// function timeout, and up to 64 per slot), beyond that they are refused with an error saying so.
    public func trigger(_ invocation: TriggerInvocation) async throws -> Data {
        // issue 12: fair function triggers
        guard let gate = state.withLock({ $0.workloads[invocation.workloadID]?.gate }) else { throw NexletError.workloadNotFound }
        switch await gate.enter(timeout: options.functionLimits.timeout) {
        case .admitted:
            break
        case .queueFull:
            throw NexletError.failed(
                "function \(invocation.workloadID) is busy: \(gate.limit) invocations are running and \(gate.maximumWaiting) are waiting (max_function_concurrency \(gate.limit)); try again later")
        case .timedOut:
            throw NexletError.failed(
                "function \(invocation.workloadID) is busy: no invocation slot came free within \(options.functionLimits.timeout) (max_function_concurrency \(gate.limit))")
        }
        defer { gate.leave() }
        let found = state.withLock { state -> (ProcessSpec, SandboxLease?)? in
            guard var entry = state.workloads[invocation.workloadID], entry.ending == nil,
                  case .function(let spec) = entry.runner
            else { return nil }
            entry.invocations += 1
            entry.state = .running
            state.workloads[invocation.workloadID] = entry
            return (spec, entry.sandbox)
        }
        // The lease stays held while the invocation runs: its uid is not freed under a running process.
        guard case (var spec, let lease)? = found else { throw NexletError.workloadNotFound }
        spec.environment[WorkloadEnvironment.triggerSubject] = invocation.subject
        let (workloadID, namespace) = (invocation.workloadID, invocation.namespace)
        let outcome: Result<FunctionResult, FunctionError>
        do {
            outcome = .success(try await Self.runFunction(spec, input: Array(invocation.payload), limits: options.functionLimits) { [weak self] line in
                self?.forward(line, workloadID: workloadID, namespace: namespace)
            })
        } catch {
            outcome = .failure(error)
        }
        withExtendedLifetime(lease) {}
        update(workloadID) { entry in
            entry.invocations -= 1
            if case .success(let result) = outcome { entry.functionTime += result.duration }
            if entry.invocations == 0, entry.ending == nil { entry.state = .warm }
        }
        switch outcome {
        case .success(let result):
            guard result.status.isSuccess else { throw NexletError.failed("function ended with \(result.status)") }
            return Data(result.output)
        case .failure(let error):
            throw NexletError.failed(error.description)
        }
    }

    /// `FunctionRunner.run`, retrying a spawn that hit a freshly written (still busy) artifact.
    private static func runFunction(
        _ spec: ProcessSpec, input: [UInt8], limits: FunctionLimits, logSink: @escaping @Sendable (LogLine) async -> Void
    ) async throws(FunctionError) -> FunctionResult {
        var attempt = 0
        while true {
            do {
                return try await FunctionRunner.run(spec, input: input, limits: limits, logSink: logSink)
            } catch {
                attempt += 1
                if case .spawnFailed(.spawnFailed(_, let code)) = error, code == ETXTBSY, attempt < 5 {
                    try? await Task.sleep(for: .milliseconds(10 * attempt))
                    continue
                }
                throw error
            }
        }
    }
}
