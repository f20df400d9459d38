#ifndef NEX_CNATS_BASELINE_H
#define NEX_CNATS_BASELINE_H
#include <stdint.h>

/* Runs `iterations` sequential request/replies against a responder on a second connection,
 * both plain nats.c with SendAsap, and writes each round trip in nanoseconds into `out_ns`.
 * Returns 0 on success, a natsStatus value otherwise. */
int cnb_request_reply_rtt(const char *url, int iterations, int payload_size, int64_t *out_ns);

#endif
