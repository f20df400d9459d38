#if os(Linux)
import Glibc

/// Limits of one function invocation.
public struct FunctionLimits: Sendable, Hashable {
    /// Largest stdout accepted as the result; more kills the process.
    public var maximumOutputBytes: Int
    /// Longest the invocation may take, from spawn to exit.
    public var timeout: Duration
    /// Grace between SIGTERM and SIGKILL when the timeout hits.
    public var stopGrace: Duration

    public init(maximumOutputBytes: Int = 1 << 20, timeout: Duration = .seconds(30), stopGrace: Duration = .seconds(1)) {
        self.maximumOutputBytes = maximumOutputBytes
        self.timeout = timeout
        self.stopGrace = stopGrace
    }
}

/// The outcome of a function invocation that ran to its end.
public struct FunctionResult: Sendable, Hashable {
    public var status: ProcessExitStatus
    /// Everything the process wrote to stdout, byte for byte.
    public var output: [UInt8]
    public var duration: Duration
}

/// Why a function invocation produced no result.
public enum FunctionError: Error, Sendable, Hashable, CustomStringConvertible {
    case spawnFailed(ProcessError)
    /// Still running after the timeout; it has been stopped.
    case timedOut(after: Duration)
    /// Wrote more than the limit to stdout; it has been killed.
    case outputTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .spawnFailed(let error): "function could not start: \(error)"
        case .timedOut(let timeout): "function did not finish within \(timeout)"
        case .outputTooLarge(let limit): "function output exceeds \(limit) bytes"
        }
    }
}

/// Runs a workload once per trigger message: the message on stdin, stdout as the result,
/// stderr to the log sink.
public enum FunctionRunner {
    private enum Collected: Sendable {
        case complete([UInt8])
        case tooLarge
    }

    /// Runs `spec` with `input` on stdin (replacing `spec.standardInput`) and returns its exit
    /// status and stdout. Throws on spawn failure, timeout or oversized output; the process is
    /// gone (stopped or killed and reaped) whenever this returns or throws.
    public static func run(
        _ spec: ProcessSpec,
        input: [UInt8],
        limits: FunctionLimits = FunctionLimits(),
        logSink: @escaping @Sendable (LogLine) async -> Void = { _ in }
    ) async throws(FunctionError) -> FunctionResult {
        var spec = spec
        spec.standardInput = input
        let clock = ContinuousClock()
        let start = clock.now
        let process: RunningProcess
        do {
            process = try await RunningProcess.spawn(spec)
        } catch {
            throw .spawnFailed(error)
        }
        let collected = OnceValue<Collected>()
        let limit = limits.maximumOutputBytes
        Task.detached {
            var output: [UInt8] = []
            var overflow = false
            for await line in process.output {
                if line.stream == .stderr {
                    await logSink(line)
                    continue
                }
                guard !overflow else {
                    continue  // drain to end-of-file so the pipes close
                }
                output.append(contentsOf: line.bytes)
                if line.endsWithNewline {
                    output.append(0x0A)
                }
                if output.count > limit {
                    overflow = true
                    output = []
                    collected.settle(.tooLarge)
                    process.signalGroup(SIGKILL)
                }
            }
            collected.settle(.complete(output))
        }

        let deadline = start + limits.timeout
        guard let outcome = await collected.value(timeout: deadline - clock.now, cancellable: false) else {
            await process.stop(grace: limits.stopGrace)
            throw .timedOut(after: limits.timeout)
        }
        guard case .complete(let output) = outcome else {
            await process.stop(grace: .zero)
            throw .outputTooLarge(limit: limit)
        }
        guard let status = await process.waitForExit(timeout: max(deadline - clock.now, .zero)) else {
            await process.stop(grace: limits.stopGrace)
            throw .timedOut(after: limits.timeout)
        }
        return FunctionResult(status: status, output: output, duration: clock.now - start)
    }
}
#endif
