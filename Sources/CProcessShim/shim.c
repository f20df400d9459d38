#ifdef __linux__
#define _GNU_SOURCE 1
#include "CProcessShim.h"

#include <errno.h>
#include <limits.h>
#include <sys/prctl.h>
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

int cps_fork_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
                  int stderr_fd, int exec_fd, const char *cwd, int set_ids, uid_t uid, gid_t gid,
                  pid_t *pid_out, int *stage_out) {
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
    sigset_t all, previous, none;
    cps_sigset_fill_all(&all);
    sigemptyset(&none);
    /* No handler of this process may run in the child before its dispositions are reset. */
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    /* vfork, as posix_spawn does: the child borrows this address space (no page-table copy, which in a node
     * with many threads and hundreds of workloads cost more than the rest of a deploy) and this thread waits
     * until it has exec'd or left. The child touches only its own locals, its own descriptor table and signal
     * dispositions (copies: no CLONE_FILES, no CLONE_SIGHAND), and its own credentials (per task). */
    pid_t pid = vfork();
    if (pid == 0) {
        close(report[0]);
        /* The report descriptor must survive the descriptor shuffle below: move it above 3. */
        int report_fd = fcntl(report[1], F_DUPFD_CLOEXEC, 4);
        if (report_fd < 0) {
            report_fd = report[1];
            cps_child_fail(report_fd, CPS_STAGE_DUP2);
        }
        if (dup2(stdin_fd, STDIN_FILENO) < 0 || dup2(stdout_fd, STDOUT_FILENO) < 0 ||
            dup2(stderr_fd, STDERR_FILENO) < 0) {
            cps_child_fail(report_fd, CPS_STAGE_DUP2);
        }
        unsigned int keep_below = 3;
        if (exec_fd >= 0) {
            if (dup2(exec_fd, 3) < 0) { /* dup2 clears close-on-exec on 3 */
                cps_child_fail(report_fd, CPS_STAGE_DUP2);
            }
            keep_below = 4;
        }
        cps_close_range(keep_below, (unsigned int)report_fd - 1);
        cps_close_range((unsigned int)report_fd + 1, UINT_MAX);
        if (setpgid(0, 0) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_SETPGID);
        }
        if (set_ids) {
            /* Raw system calls: this thread only, no glibc set*id broadcast (there is one thread). */
            if (syscall(SYS_setgroups, 0, NULL) != 0) {
                cps_child_fail(report_fd, CPS_STAGE_SETGROUPS);
            }
            if (syscall(SYS_setresgid, gid, gid, gid) != 0) {
                cps_child_fail(report_fd, CPS_STAGE_SETGID);
            }
            if (syscall(SYS_setresuid, uid, uid, uid) != 0) {
                cps_child_fail(report_fd, CPS_STAGE_SETUID);
            }
        }
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_NO_NEW_PRIVS);
        }
        if (cwd != NULL && chdir(cwd) != 0) {
            cps_child_fail(report_fd, CPS_STAGE_CHDIR);
        }
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
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(path, argv, envp);
        cps_child_fail(report_fd, CPS_STAGE_EXEC);
    }
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
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

/* Runs kill(-1, sig) as `uid` in a vfork child (system calls only, then _exit) and returns the child's exit
 * status: 0 = sent (Linux also answers 0 when it reached no process but other processes exist: this is no
 * test of whether `uid` runs anything), 3 = no other process at all (ESRCH), 1 = the ids could not be set,
 * 2 = another kill error; or a negative errno value when the child could not be made or waited for. */
static int cps_kill_as_uid(uid_t uid, int sig) {
    sigset_t all, previous;
    cps_sigset_fill_all(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = vfork(); /* see cps_fork_exec */
    if (pid == 0) {
        if (syscall(SYS_setgroups, 0, NULL) != 0 || syscall(SYS_setresgid, (gid_t)uid, (gid_t)uid, (gid_t)uid) != 0 ||
            syscall(SYS_setresuid, uid, uid, uid) != 0) {
            _exit(1);
        }
        /* kill(-1) skips the caller itself and reaches exactly the processes this uid may signal. */
        if (kill(-1, sig) == 0) {
            _exit(0);
        }
        _exit(errno == ESRCH ? 3 : 2);
    }
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
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
