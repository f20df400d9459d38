/// The process exit statuses of `nex`.
enum ExitStatus {
    static let success: Int32 = 0
    /// A runtime failure (unreachable server, no nodes, a refused deploy, …).
    static let failure: Int32 = 1
    /// A bad command line or configuration (EX_USAGE).
    static let usage: Int32 = 64
    /// A bug in nex itself (EX_SOFTWARE).
    static let software: Int32 = 70
    /// Interrupted by a second Ctrl-C.
    static let interrupted: Int32 = 130
}
