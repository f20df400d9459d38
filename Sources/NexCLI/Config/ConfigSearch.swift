import Foundation

/// Which config files apply, in the Go CLI's order (later files win): `/etc/nex/config.json`,
/// `<user config dir>/nex/config.json`, `./config.json`, then `--config`.
enum ConfigSearch {
    /// The standard locations; missing or unreadable ones are skipped.
    static var standardLocations: [URL] {
        [
            URL(fileURLWithPath: "/etc/nex/config.json"),
            UserDirectories.config.appendingPathComponent("nex/config.json"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("config.json"),
        ]
    }

    /// Loads the standard files that exist and, last, `explicit` (which must exist). Throws a one-line
    /// error for a missing `--config` file or any file that is not a JSON object.
    static func load(explicit: String?) throws(CLIError) -> [ConfigFile] {
        var files: [ConfigFile] = []
        var loaded: Set<String> = []
        for url in standardLocations where FileManager.default.isReadableFile(atPath: url.path) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let file = try ConfigFile.load(url)
            if loaded.insert(file.path).inserted { files.append(file) }
        }
        if let explicit, !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw CLIError("config file \(url.standardizedFileURL.path) does not exist", hint: "check the path given to --config", exitCode: ExitStatus.usage)
            }
            guard !isDirectory.boolValue else {
                throw CLIError("config file \(url.standardizedFileURL.path) is a directory", hint: "give --config the path of a JSON file", exitCode: ExitStatus.usage)
            }
            let file = try ConfigFile.load(url)
            // The explicit file is always last, even when it is also a standard location.
            files.removeAll { $0.path == file.path }
            files.append(file)
        }
        return files
    }
}
