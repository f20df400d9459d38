import Foundation

/// A runtime failure of a command, shown to the user as one line on stderr: what went wrong, then what to
/// do about it (`hint`). The process exits with `exitCode`.
struct CLIError: Error, Sendable, CustomStringConvertible {
    var message: String
    var hint: String?
    var exitCode: Int32

    init(_ message: String, hint: String? = nil, exitCode: Int32 = 1) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode
    }

    /// The single line printed: `message: hint`, with any line breaks folded into `; `.
    var description: String {
        let text = hint.map { "\(message): \($0)" } ?? message
        return CLIError.singleLine(text)
    }

    /// Folds a possibly multi-line text into one line.
    static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}
