#ifdef __linux__
#define _GNU_SOURCE 1
#include "CProcessShim.h"

#include <errno.h>
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

#endif /* __linux__ */
