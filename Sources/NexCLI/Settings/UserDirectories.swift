import Foundation

/// The per-user directories the Go CLI uses (`os.UserConfigDir`) and the data directory of `node up`.
enum UserDirectories {
    static var home: URL {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// `$XDG_CONFIG_HOME` or `~/.config` (macOS: `~/Library/Application Support`).
    static var config: URL {
        #if os(macOS)
        return home.appendingPathComponent("Library/Application Support")
        #else
        return xdg("XDG_CONFIG_HOME") ?? home.appendingPathComponent(".config")
        #endif
    }

    /// `$XDG_DATA_HOME` or `~/.local/share` (macOS: `~/Library/Application Support`).
    static var data: URL {
        #if os(macOS)
        return home.appendingPathComponent("Library/Application Support")
        #else
        return xdg("XDG_DATA_HOME") ?? home.appendingPathComponent(".local/share")
        #endif
    }

    /// An XDG variable, used only when it holds an absolute path (as the XDG spec says).
    private static func xdg(_ name: String) -> URL? {
        guard let value = ProcessInfo.processInfo.environment[name], value.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: value)
    }
}
