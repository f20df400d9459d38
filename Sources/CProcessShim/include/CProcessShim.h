#ifndef NEX_CPROCESS_SHIM_H
#define NEX_CPROCESS_SHIM_H

/* Small C helpers for the native nexlet's process layer (Sources/Nexlet/Process).
 * They expose what Swift cannot reach directly: GNU posix_spawn extensions, pidfds,
 * waitid() results, epoll and eventfd. Linux only; empty elsewhere. */

#ifdef __linux__
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <spawn.h>

/* Result kinds of cps_waitid(). */
enum {
    CPS_CHILD_EXITED = 1,   /* value = exit code */
    CPS_CHILD_SIGNALED = 2, /* value = terminating signal */
    CPS_CHILD_NOT_READY = 3 /* WNOHANG and the child has not exited yet */
};

/* posix_spawn_file_actions_addclosefrom_np(from) when the C library has it (glibc >= 2.34),
 * otherwise ENOSYS (callers then rely on close-on-exec alone). Returns 0 or an errno value. */
int cps_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from);

/* posix_spawn_file_actions_addchdir_np(path) (glibc >= 2.29), otherwise ENOSYS. */
int cps_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/* Sets every bit of `set`, including the signals the C library reserves for itself (glibc:
 * 32 and 33), which sigfillset() leaves out. Used as the spawn-sigdefault set: otherwise glibc's
 * posix_spawn leaves those two signals ignored in the child, and ignored signals survive exec. */
void cps_sigset_fill_all(sigset_t *set);

/* pipe2(fds, O_CLOEXEC). Returns 0 or -1 with errno set. */
int cps_pipe_cloexec(int fds[2]);

/* pidfd_open(pid, 0) through syscall(2). Returns the fd (close-on-exec) or -1 with errno set. */
int cps_pidfd_open(pid_t pid);

/* pidfd_send_signal(pidfd, sig, NULL, 0). Returns 0 or -1 with errno set. */
int cps_pidfd_send_signal(int pidfd, int sig);

/* waitid() on a pid (pidfd = 0) or on a pidfd (pidfd = 1), WEXITED plus `extra_options`
 * (WNOHANG, WNOWAIT). Restarts on EINTR. Returns 0 and fills kind/value, or -1 with errno set. */
int cps_waitid(int use_pidfd, int id, int extra_options, int *kind, int *value);

/* The WNOHANG and WNOWAIT constants (macros Swift does not import everywhere). */
int cps_wnohang(void);
int cps_wnowait(void);

/* Blocks SIGPIPE in the calling thread, so writes to a closed pipe fail with EPIPE instead of
 * killing the process. Returns 0 or an errno value. */
int cps_block_sigpipe_in_thread(void);

/* Consumes a SIGPIPE pending for the calling thread (after a write failed with EPIPE),
 * without waiting. */
void cps_discard_pending_sigpipe(void);

/* sizeof/offset-safe accessors for the (packed on x86-64) epoll_event. */
void cps_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t data);
uint32_t cps_epoll_event_events(const struct epoll_event *event);
uint64_t cps_epoll_event_data(const struct epoll_event *event);


/* issue 12: sandbox */

/* Where cps_fork_exec() failed (reported with the errno value). */
enum {
    CPS_STAGE_NONE = 0,
    CPS_STAGE_FORK = 1,
    CPS_STAGE_DUP2 = 2,
    CPS_STAGE_SETPGID = 3,
    CPS_STAGE_SETGROUPS = 4,
    CPS_STAGE_SETGID = 5,
    CPS_STAGE_SETUID = 6,
    CPS_STAGE_NO_NEW_PRIVS = 7,
    CPS_STAGE_CHDIR = 8,
    CPS_STAGE_EXEC = 9,
    CPS_STAGE_PIPE = 10,
    CPS_STAGE_CGROUP = 11
};

/* clone(CLONE_VM | CLONE_VFORK) on a private stack + exec, for a workload that runs under its own uid/gid
 * (posix_spawn cannot change ids).
 * Between clone and exec the child makes only async-signal-safe calls (raw set*id system calls, so no
 * glibc thread broadcast): stdin/stdout/stderr from the given descriptors; `exec_fd` (>= 4, or -1) moved
 * to descriptor 3 and left open across exec (the caller then passes "/proc/self/fd/3" as `path`); every
 * other descriptor closed (close_range); its own process group; with `set_ids`, supplementary groups
 * cleared, gid then uid set (real, effective, saved) and PR_SET_NO_NEW_PRIVS; `cwd` (if not NULL); every
 * signal at its default disposition and an empty signal mask; execve(path, argv, envp).
 * Before all of that (issue 14), the child writes "0" to each of the `cgroup_fd_count` descriptors in
 * `cgroup_fds` (open `cgroup.procs` files of the workload's cgroups), so it execs inside them.
 * The parent waits (a close-on-exec pipe) until the child has exec'd or failed. Returns 0 with *pid_out
 * set, or an errno value with *stage_out saying which step failed (the failed child is reaped). */
int cps_fork_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
                  int stderr_fd, int exec_fd, const char *cwd, int set_ids, uid_t uid, gid_t gid,
                  const int *cgroup_fds, int cgroup_fd_count, pid_t *pid_out, int *stage_out);

/* Sends SIGKILL to every process running under `uid` (a clone child as above becomes `uid` and calls
 * kill(-1, SIGKILL), which reaches exactly the processes that uid may signal; waits for it).
 * Returns 0 or an errno value. Needs root (CAP_SETUID). */
int cps_kill_all_of_uid(uid_t uid);

#endif /* __linux__ */
#endif /* NEX_CPROCESS_SHIM_H */
