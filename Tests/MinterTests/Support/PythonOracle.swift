import Foundation

/// Runs a Python 3 snippet as an independent oracle (packages `nkeys` and `PyNaCl`).
/// The snippet reads one JSON document from stdin and prints one JSON document.
enum PythonOracle {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `script` with `input` as JSON on stdin and returns its JSON output; fails after `timeout`.
    static func run(_ script: String, input: Any, timeout: Duration = .seconds(60)) async throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = AsyncStream<Void> { continuation in
            process.terminationHandler = { _ in continuation.yield(); continuation.finish() }
        }
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start python3 (install Python 3 with `pip install nkeys pynacl`): \(error)")
        }
        let inputData = try JSONSerialization.data(withJSONObject: input)
        // Read both pipes concurrently with writing so that neither side blocks on a full pipe buffer.
        async let output = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
        async let errors = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
        stdin.fileHandleForWriting.write(inputData)
        try stdin.fileHandleForWriting.close()

        let exited = await withTaskGroup(of: Bool.self) { group in
            group.addTask { for await _ in finished { return true }; return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !exited {
            process.terminate()
            throw Failure(description: "python3 oracle did not finish within \(timeout)")
        }
        let (outputData, errorData) = await (output, errors)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 oracle failed (\(process.terminationStatus)): "
                + String(decoding: errorData, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: outputData)
    }
}
