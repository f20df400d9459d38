import Foundation

/// Secrets (seeds, signing keys) may come inline (flag, config key, environment variable) or from a file named
/// by the setting's `-file` form, which keeps them off the command line (`/proc/<pid>/cmdline` is readable by
/// every user of the host) and out of shell history. Setting both is an error.
extension ResolvedSettings {
    /// The secret's text (trimmed), "" when neither form is set. Problems are appended, not thrown, so that
    /// every problem of a configuration is reported together.
    func secret(_ setting: Setting, file: Setting, problems: inout [String]) -> String {
        let inline = string(setting)
        guard let path = nonEmpty(file) else { return inline }
        guard inline.isEmpty else {
            problems.append("\(setting.flag) (from \(source(setting).label)) and \(file.flag) (from \(source(file).label)) are both set: use one")
            return ""
        }
        do {
            return try SecretFile.read(path, flag: file.flag)
        } catch {
            problems.append(error.message)
            return ""
        }
    }
}

extension ResolvedSettings {
    /// How to name the secret in an error about its value: the file flag when it came from the file.
    func secretRole(_ setting: Setting, file: Setting) -> String {
        nonEmpty(file) == nil ? setting.flag : "\(file.flag) \(string(file))"
    }
}

/// A file holding one secret (a seed or key), such as `nex keys create -o` writes.
enum SecretFile {
    /// The file's text without surrounding whitespace; an unreadable or empty file is an error naming `flag`.
    static func read(_ path: String, flag: String) throws(CLIError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw CLIError("\(flag): cannot read \(path) (\(CLIError.singleLine(error.localizedDescription)))", exitCode: ExitStatus.usage)
        }
        guard !text.isEmpty else { throw CLIError("\(flag): \(path) is empty", exitCode: ExitStatus.usage) }
        return text
    }
}
