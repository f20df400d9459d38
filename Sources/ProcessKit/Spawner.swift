#if os(Linux)
import CProcessShim
import Glibc

/// The parent's ends of a freshly spawned child's pipes (all non-blocking, close-on-exec).
struct SpawnedChild {
    var pid: pid_t
    var stdoutRead: Int32
    var stderrRead: Int32
    var stdinWrite: Int32?
}

/// `posix_spawn` with the attributes a workload needs. Synchronous; call it off the Swift
/// cooperative pool (``RunningProcess/spawn(_:)`` does).
///
/// * own process group (`POSIX_SPAWN_SETPGROUP`, pgid 0 = the child's pid);
/// * every signal at its default disposition (`setsigdefault` with a full set, including the two
///   signals glibc reserves and would otherwise leave ignored) and an empty signal mask,
///   whatever this process ignores or blocks;
/// * stdout and stderr to pipes, stdin from a pipe or `/dev/null`;
/// * no other descriptor: everything we open is close-on-exec, and descriptors 3 and up are
///   closed in the child (`posix_spawn_file_actions_addclosefrom_np`) against descriptors
///   other code of the node opened without `O_CLOEXEC`.
///
/// A spec with a ``ProcessSandbox`` goes through `cps_fork_exec` instead (posix_spawn cannot change ids), with the
/// same descriptors, group and signal set-up; a spec with an ``ExecutableVerification`` runs the descriptor that
/// was verified (`/proc/self/fd/3`), never the path again.
enum Spawner {
    /// How often `ETXTBSY` is retried (about a quarter of a second in total).
    static let textBusyRetries = 8

    static func spawn(_ spec: ProcessSpec, executable: String) throws(ProcessError) -> SpawnedChild {
        var opened: [Int32] = []
        var success = false
        defer {
            if !success {
                opened.forEach { _ = close($0) }
            }
        }
        let stdoutPipe = try makePipe()
        opened += [stdoutPipe.read, stdoutPipe.write]
        let stderrPipe = try makePipe()
        opened += [stderrPipe.read, stderrPipe.write]
        var stdinPipe: (read: Int32, write: Int32)?
        if spec.standardInput != nil {
            let pipe = try makePipe()
            opened += [pipe.read, pipe.write]
            stdinPipe = pipe
        }

        // issue 12: sandbox. A verified executable runs through the descriptor that was checked.
        var verified: Int32?
        if let verification = spec.verification {
            let fd = try openVerified(executable, path: spec.executablePath, verification)
            opened.append(fd)
            verified = fd
        }
        let program = verified == nil ? executable : "/proc/self/fd/3"
        if spec.sandbox != nil || !spec.cgroupProcsFiles.isEmpty {
            // issue 14: limits. The cgroups' `cgroup.procs`, written by the child before it execs.
            var cgroups: [Int32] = []
            defer { cgroups.forEach { _ = close($0) } }
            for file in spec.cgroupProcsFiles {
                let fd = open(file, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw .systemCallFailed(call: "open(\(file))", errno: errno) }
                cgroups.append(fd)
            }
            let child = try forkExec(
                spec, program: program, sandbox: spec.sandbox, stdin: stdinPipe?.read, stdout: stdoutPipe.write,
                stderr: stderrPipe.write, verified: verified, cgroups: cgroups)
            verified.map { _ = close($0) }
            close(stdoutPipe.write)
            close(stderrPipe.write)
            if let stdinPipe { close(stdinPipe.read) }
            success = true
            return finished(child, stdout: stdoutPipe.read, stderr: stderrPipe.read, stdin: stdinPipe?.write)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        try check("posix_spawn_file_actions", {
            if let stdinPipe {
                return posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, STDIN_FILENO)
            }
            return posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }())
        try check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, STDOUT_FILENO))
        try check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, STDERR_FILENO))
        if let verified {
            try check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(&actions, verified, 3))
        }
        let closeFrom = cps_spawn_add_closefrom(&actions, verified == nil ? 3 : 4)
        if closeFrom != 0 && closeFrom != ENOSYS {
            throw .systemCallFailed(call: "posix_spawn_file_actions_addclosefrom_np", errno: closeFrom)
        }
        if let directory = spec.workingDirectory {
            try check("posix_spawn_file_actions_addchdir_np", cps_spawn_add_chdir(&actions, directory))
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        cps_sigset_fill_all(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        let flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        try check("posix_spawnattr_setflags", posix_spawnattr_setflags(&attributes, Int16(flags)))
        try check("posix_spawnattr_setpgroup", posix_spawnattr_setpgroup(&attributes, 0))
        try check("posix_spawnattr_setsigdefault", posix_spawnattr_setsigdefault(&attributes, &allSignals))
        try check("posix_spawnattr_setsigmask", posix_spawnattr_setsigmask(&attributes, &noSignals))

        let argv = CStringArray(spec.argv)
        let envp = CStringArray(spec.environmentStrings)
        var pid: pid_t = 0
        var rc: Int32 = 0
        for attempt in 0...textBusyRetries {
            rc = withExtendedLifetime((argv, envp)) {
                posix_spawn(&pid, program, &actions, &attributes, argv.pointers, envp.pointers)
            }
            guard rc == ETXTBSY, attempt < textBusyRetries else {
                break
            }
            // A just-written executable is still open for writing in a child some other thread
            // is spawning (until that child execs). Wait for it to pass: 1, 2, 4 … 64 ms.
            usleep(useconds_t(1000 << min(attempt, 6)))
        }
        guard rc == 0 else {
            throw .spawnFailed(path: spec.executablePath, errno: rc)
        }

        // The child has its copies; keep only our ends.
        verified.map { _ = close($0) }
        close(stdoutPipe.write)
        close(stderrPipe.write)
        if let stdinPipe {
            close(stdinPipe.read)
        }
        success = true
        return finished(pid, stdout: stdoutPipe.read, stderr: stderrPipe.read, stdin: stdinPipe?.write)
    }

    /// Our ends of a started child's pipes, made non-blocking.
    private static func finished(_ pid: pid_t, stdout: Int32, stderr: Int32, stdin: Int32?) -> SpawnedChild {
        for fd in [stdout, stderr, stdin].compactMap({ $0 }) {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return SpawnedChild(pid: pid, stdoutRead: stdout, stderrRead: stderr, stdinWrite: stdin)
    }

    // MARK: issue 12: sandbox

    /// Opens the executable read-only (at descriptor 16 or above, close-on-exec) and runs its verification on
    /// that descriptor. The caller executes this descriptor, never the path again.
    private static func openVerified(
        _ executable: String, path: String, _ verification: ExecutableVerification
    ) throws(ProcessError) -> Int32 {
        let raw = open(executable, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard raw >= 0 else {
            throw .executableInaccessible(path: path, errno: errno)
        }
        let fd = fcntl(raw, F_DUPFD_CLOEXEC, 16)
        let code = errno
        close(raw)
        guard fd >= 0 else {
            throw .systemCallFailed(call: "fcntl(F_DUPFD_CLOEXEC)", errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .executableNotRegularFile(path: path)
        }
        if let reason = verification.verify(fd) {
            close(fd)
            throw .executableRejected(path: path, reason: reason)
        }
        return fd
    }

    /// fork/exec through `cps_fork_exec` (see ``ProcessSandbox``), retrying a busy executable like `posix_spawn`.
    private static func forkExec(
        _ spec: ProcessSpec, program: String, sandbox: ProcessSandbox?, stdin: Int32?, stdout: Int32, stderr: Int32,
        verified: Int32?, cgroups: [Int32]
    ) throws(ProcessError) -> pid_t {
        var devNull: Int32 = -1
        if stdin == nil {
            devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard devNull >= 0 else { throw .systemCallFailed(call: "open(/dev/null)", errno: errno) }
        }
        defer { if devNull >= 0 { close(devNull) } }
        let argv = CStringArray(spec.argv)
        let envp = CStringArray(spec.environmentStrings)
        var pid: pid_t = 0
        var stage: Int32 = 0
        var rc: Int32 = 0
        for attempt in 0...textBusyRetries {
            rc = withExtendedLifetime((argv, envp)) {
                argv.pointers.withUnsafeBufferPointer { arguments in
                    envp.pointers.withUnsafeBufferPointer { environment in
                        cgroups.withUnsafeBufferPointer { cgroupFDs in
                            cps_fork_exec(
                                program, arguments.baseAddress, environment.baseAddress, stdin ?? devNull, stdout, stderr,
                                verified ?? -1, spec.workingDirectory, sandbox == nil ? 0 : 1, uid_t(sandbox?.uid ?? 0),
                                gid_t(sandbox?.gid ?? 0), cgroupFDs.baseAddress, Int32(cgroupFDs.count), &pid, &stage)
                        }
                    }
                }
            }
            guard rc == ETXTBSY, stage == Int32(CPS_STAGE_EXEC), attempt < textBusyRetries else {
                break
            }
            usleep(useconds_t(1000 << min(attempt, 6)))
        }
        guard rc == 0 else {
            switch stage {
            case Int32(CPS_STAGE_EXEC): throw .spawnFailed(path: spec.executablePath, errno: rc)
            case Int32(CPS_STAGE_FORK): throw .systemCallFailed(call: "fork", errno: rc)
            case Int32(CPS_STAGE_PIPE): throw .systemCallFailed(call: "pipe2", errno: rc)
            default: throw .sandboxFailed(path: spec.executablePath, step: Self.stageName(stage), errno: rc)
            }
        }
        return pid
    }

    private static func stageName(_ stage: Int32) -> String {
        switch stage {
        case Int32(CPS_STAGE_DUP2): "dup2"
        case Int32(CPS_STAGE_SETPGID): "setpgid"
        case Int32(CPS_STAGE_SETGROUPS): "setgroups"
        case Int32(CPS_STAGE_SETGID): "setresgid"
        case Int32(CPS_STAGE_SETUID): "setresuid"
        case Int32(CPS_STAGE_NO_NEW_PRIVS): "prctl(PR_SET_NO_NEW_PRIVS)"
        case Int32(CPS_STAGE_CHDIR): "chdir into the working directory"
        case Int32(CPS_STAGE_CGROUP): "joining the workload's cgroup (write to cgroup.procs)"
        default: "stage \(stage)"
        }
    }

    /// A close-on-exec pipe whose ends are never 0, 1 or 2 (so the child's `dup2` onto the
    /// standard descriptors cannot clobber one pipe with another).
    private static func makePipe() throws(ProcessError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard cps_pipe_cloexec(&fds) == 0 else {
            throw .systemCallFailed(call: "pipe2", errno: errno)
        }
        for index in 0..<2 where fds[index] < 3 {
            let moved = fcntl(fds[index], F_DUPFD_CLOEXEC, 3)
            let code = errno
            close(fds[index])
            fds[index] = moved
            if moved < 0 {
                fds.filter { $0 >= 0 }.forEach { _ = close($0) }
                throw .systemCallFailed(call: "fcntl(F_DUPFD_CLOEXEC)", errno: code)
            }
        }
        return (fds[0], fds[1])
    }

    private static func check(_ call: String, _ rc: Int32) throws(ProcessError) {
        if rc != 0 {
            throw .systemCallFailed(call: call, errno: rc)
        }
    }
}

/// A NULL-terminated array of C strings that frees itself.
private final class CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        pointers.forEach { free($0) }
    }
}
#endif
