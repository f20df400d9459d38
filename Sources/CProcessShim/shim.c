#ifdef __linux__
#define _GNU_SOURCE 1
#include "CProcessShim.h"

#include <errno.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sched.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int cps_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
#else
    (void)actions;
    (void)from;
    return ENOSYS;
#endif
}

int cps_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 29)
    return posix_spawn_file_actions_addchdir_np(actions, path);
#else
    (void)actions;
    (void)path;
    return ENOSYS;
#endif
}

void cps_sigset_fill_all(sigset_t *set) {
    memset(set, 0xff, sizeof *set);
}

int cps_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cps_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int cps_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int cps_waitid(int use_pidfd, int id, int extra_options, int *kind, int *value) {
    siginfo_t info;
    int rc;
    do {
        memset(&info, 0, sizeof info);
        rc = waitid(use_pidfd ? (idtype_t)P_PIDFD : P_PID, (id_t)id, &info, WEXITED | extra_options);
    } while (rc == -1 && errno == EINTR);
    if (rc == -1) {
        return -1;
    }
    if (info.si_pid == 0) {
        *kind = CPS_CHILD_NOT_READY;
        *value = 0;
    } else if (info.si_code == CLD_EXITED) {
        *kind = CPS_CHILD_EXITED;
        *value = info.si_status;
    } else {
        *kind = CPS_CHILD_SIGNALED;
        *value = info.si_status;
    }
    return 0;
}

int cps_wnohang(void) { return WNOHANG; }
int cps_wnowait(void) { return WNOWAIT; }

int cps_block_sigpipe_in_thread(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void cps_discard_pending_sigpipe(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) == SIGPIPE) {
    }
}

void cps_epoll_event_set(struct epoll_event *event, uint32_t events, uint64_t data) {
    event->events = events;
    event->data.u64 = data;
}

uint32_t cps_epoll_event_events(const struct epoll_event *event) { return event->events; }
uint64_t cps_epoll_event_data(const struct epoll_event *event) { return event->data.u64; }


/* issue 12: sandbox */

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct cps_failure {
    int stage;
    int error;
};

/* Child side: report and leave without running atexit handlers. */
static void cps_child_fail(int report_fd, int stage) {
    struct cps_failure failure = {stage, errno};
    ssize_t rc;
    do {
        rc = write(report_fd, &failure, sizeof failure);
    } while (rc == -1 && errno == EINTR);
    _exit(127);
}

static void cps_close_range(unsigned int first, unsigned int last) {
    if (first > last) {
        return;
    }
    if (syscall(SYS_close_range, first, last, 0) == 0) {
        return;
    }
    /* No close_range (kernel < 5.9): everything the node opens is close-on-exec anyway. */
}

/* rt_sigaction(sig, SIG_DFL) past glibc. x86-64 and arm64 share the kernel's layout
 * {handler, flags, restorer, mask}; elsewhere nothing is done. */
static void cps_raw_default_signal(int sig) {
#if defined(__x86_64__) || defined(__aarch64__)
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        unsigned long mask;
    } action = {NULL /* SIG_DFL */, 0, NULL, 0};
    (void)syscall(SYS_rt_sigaction, sig, &action, NULL, sizeof action.mask);
#else
    (void)sig;
#endif
}

/* What the spawned child needs: everything it reads lives here or in the caller's arguments, never in the
 * caller's stack frame below the clone call. */
struct cps_child_spec {
    const char *path;
    char *const *argv;
    char *const *envp;
    int stdin_fd, stdout_fd, stderr_fd, exec_fd;
    const char *cwd;
    int set_ids;
    uid_t uid;
    gid_t gid;
    int report_fd;
    const int *cgroup_fds;
    int cgroup_fd_count;
};

/* The child of cps_fork_exec, on a stack of its own (clone with CLONE_VM | CLONE_VFORK, as posix_spawn does):
 * it shares this address space while the parent thread waits, so it makes system calls only, touches nothing
 * but its own stack and the spec, and ends in execve or _exit. */
static int cps_exec_child(void *argument) {
    const struct cps_child_spec *spec = argument;
    /* issue 14: limits. Join the workload's cgroups first, still as root and before anything else runs:
     * "0" moves the writing process, and everything it forks later is born inside. */
    for (int index = 0; index < spec->cgroup_fd_count; index++) {
        ssize_t rc;
        do {
            rc = write(spec->cgroup_fds[index], "0", 1);
        } while (rc == -1 && errno == EINTR);
        if (rc != 1) {
            cps_child_fail(spec->report_fd, CPS_STAGE_CGROUP);
        }
    }
    /* The report descriptor must survive the descriptor shuffle below: move it above 3. */
    int report_fd = fcntl(spec->report_fd, F_DUPFD_CLOEXEC, 4);
    if (report_fd < 0) {
        cps_child_fail(spec->report_fd, CPS_STAGE_DUP2);
    }
    if (dup2(spec->stdin_fd, STDIN_FILENO) < 0 || dup2(spec->stdout_fd, STDOUT_FILENO) < 0 ||
        dup2(spec->stderr_fd, STDERR_FILENO) < 0) {
        cps_child_fail(report_fd, CPS_STAGE_DUP2);
    }
    unsigned int keep_below = 3;
    if (spec->exec_fd >= 0) {
        if (dup2(spec->exec_fd, 3) < 0) { /* dup2 clears close-on-exec on 3 */
            cps_child_fail(report_fd, CPS_STAGE_DUP2);
        }
        keep_below = 4;
    }
    cps_close_range(keep_below, (unsigned int)report_fd - 1);
    cps_close_range((unsigned int)report_fd + 1, UINT_MAX);
    if (setpgid(0, 0) != 0) {
        cps_child_fail(report_fd, CPS_STAGE_SETPGID);
    }
    if (spec->set_ids) {
        /* Raw system calls: this task only, no glibc set*id broadcast to the parent's threads. */
        if (syscall(SYS_setgroups, 0, NULL) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_SETGROUPS);
        }
        if (syscall(SYS_setresgid, spec->gid, spec->gid, spec->gid) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_SETGID);
        }
        if (syscall(SYS_setresuid, spec->uid, spec->uid, spec->uid) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_SETUID);
        }
    }
    if (spec->set_ids && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        cps_child_fail(report_fd, CPS_STAGE_NO_NEW_PRIVS);
    }
    if (spec->cwd != NULL && chdir(spec->cwd) != 0) {
        cps_child_fail(report_fd, CPS_STAGE_CHDIR);
    }
    /* Dispositions are the child's own copy (no CLONE_SIGHAND): reset them all before unblocking. */
    struct sigaction standard;
    memset(&standard, 0, sizeof standard);
    standard.sa_handler = SIG_DFL;
    sigemptyset(&standard.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, &standard, NULL) != 0) {
            /* glibc refuses the signals it reserves (32, 33); an ignored one would survive exec. */
            cps_raw_default_signal(sig);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(spec->path, spec->argv, spec->envp);
    cps_child_fail(report_fd, CPS_STAGE_EXEC);
    return 127;
}

/* The stack a clone child runs on: private, so nothing it writes can land in the parent's frame (with vfork the
 * child borrowed the parent's stack, and the compiler may hand a slot the parent still needs to a child local). */
enum { CPS_CHILD_STACK = 256 * 1024 };

/* Starts `child(argument)` in a clone(CLONE_VM | CLONE_VFORK) child on a private stack, with every signal blocked
 * in the calling thread until the child has exec'd or exited: no handler of this process may run in the child,
 * which shares its memory, before the child has reset its dispositions. Returns the pid or -1 with `*error`. */
static pid_t cps_clone_vfork(int (*child)(void *), void *argument, int *error) {
    void *stack = mmap(NULL, CPS_CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        *error = errno;
        return -1;
    }
    sigset_t all, previous;
    cps_sigset_fill_all(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    /* The stack grows down on every architecture Linux runs Swift on. */
    pid_t pid = clone(child, (char *)stack + CPS_CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, argument);
    *error = pid < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    munmap(stack, CPS_CHILD_STACK); /* the child has exec'd or exited: the stack is free again */
    return pid;
}

int cps_fork_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
                  int stderr_fd, int exec_fd, const char *cwd, int set_ids, uid_t uid, gid_t gid,
                  const int *cgroup_fds, int cgroup_fd_count, pid_t *pid_out, int *stage_out) {
    int report[2];
    *stage_out = CPS_STAGE_NONE;
    if (exec_fd >= 0 && exec_fd < 4) {
        *stage_out = CPS_STAGE_DUP2;
        return EINVAL;
    }
    if (pipe2(report, O_CLOEXEC) != 0) {
        *stage_out = CPS_STAGE_PIPE;
        return errno;
    }
    struct cps_child_spec spec = {path, argv, envp, stdin_fd, stdout_fd, stderr_fd, exec_fd, cwd, set_ids, uid, gid,
                                  report[1], cgroup_fds, cgroup_fd_count};
    int fork_error = 0;
    pid_t pid = cps_clone_vfork(cps_exec_child, &spec, &fork_error);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        *stage_out = CPS_STAGE_FORK;
        return fork_error;
    }
    struct cps_failure failure = {CPS_STAGE_NONE, 0};
    size_t got = 0;
    while (got < sizeof failure) {
        ssize_t rc = read(report[0], (char *)&failure + got, sizeof failure - got);
        if (rc == -1 && errno == EINTR) {
            continue;
        }
        if (rc <= 0) {
            break;
        }
        got += (size_t)rc;
    }
    close(report[0]);
    if (got == 0) {
        *pid_out = pid; /* exec succeeded: the pipe closed on exec */
        return 0;
    }
    int status;
    while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
    }
    *stage_out = got == sizeof failure ? failure.stage : CPS_STAGE_EXEC;
    return got == sizeof failure && failure.error != 0 ? failure.error : EIO;
}

struct cps_kill_spec {
    uid_t uid;
    int sig;
};

/* The child of cps_kill_as_uid (see cps_exec_child for the rules a CLONE_VM child keeps). */
static int cps_kill_child(void *argument) {
    const struct cps_kill_spec *spec = argument;
    if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setresgid, (gid_t)spec->uid, (gid_t)spec->uid, (gid_t)spec->uid) != 0 ||
        syscall(SYS_setresuid, spec->uid, spec->uid, spec->uid) != 0) {
        _exit(1);
    }
    /* kill(-1) skips the caller itself and reaches exactly the processes this uid may signal. */
    if (kill(-1, spec->sig) == 0) {
        _exit(0);
    }
    _exit(errno == ESRCH ? 3 : 2);
    return 2;
}

/* Runs kill(-1, sig) as `uid` in a clone child and returns its exit status: 0 = sent (Linux also answers 0
 * when it reached no process but other processes exist, so this is no test of whether `uid` runs anything),
 * 3 = no other process at all (ESRCH), 1 = the ids could not be set, 2 = another kill error; or a negative
 * errno value when the child could not be made or waited for. */
static int cps_kill_as_uid(uid_t uid, int sig) {
    struct cps_kill_spec spec = {uid, sig};
    int fork_error = 0;
    pid_t pid = cps_clone_vfork(cps_kill_child, &spec, &fork_error);
    if (pid < 0) {
        return -fork_error;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) == -1) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

int cps_kill_all_of_uid(uid_t uid) {
    if (uid == 0) {
        return EINVAL;
    }
    int verdict = cps_kill_as_uid(uid, SIGKILL);
    if (verdict < 0) {
        return -verdict;
    }
    return verdict == 0 || verdict == 3 ? 0 : EPERM;
}


#endif /* __linux__ */
