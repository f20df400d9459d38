import Foundation
import NATSTestSupport

/// Runs a Python 3 snippet as an independent oracle (packages `nkeys` and `PyNaCl`).
/// The snippet reads one JSON document from stdin and prints one JSON document.
enum PythonOracle {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `script` with `input` as JSON on stdin and returns its JSON output; fails after `timeout`.
    static func run(_ script: String, input: Any, timeout: Duration = .seconds(60)) async throws -> Any {
        let output = try PythonRunner.run(
            script: script, stdin: try JSONSerialization.data(withJSONObject: input),
            timeout: TimeInterval(timeout.components.seconds))
        guard output.status == 0 else {
            throw Failure(description: "python3 oracle failed (\(output.status)): \(output.stderr)")
        }
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
    }
}
