#ifndef NEX_CNATS_SHIM_H
#define NEX_CNATS_SHIM_H
#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>

/* Small helpers so Swift never touches C globals or macros directly. */

/* Status code of a headers-only status message (e.g. 503 no responders), 0 when none. */
static inline int nexshim_msg_status(natsMsg *msg) {
    const char *v = NULL;
    if (msg == NULL) return 0;
    if (natsMsgHeader_Get(msg, "Status", &v) != NATS_OK || v == NULL) return 0;
    return atoi(v);
}

#endif
