#include "cnats_baseline.h"
#include <nats/nats.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure) {
    (void)sub; (void)closure;
    const char *reply = natsMsg_GetReply(msg);
    if (reply != NULL) {
        natsConnection_Publish(nc, reply, natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    }
    natsMsg_Destroy(msg);
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static natsStatus connect_asap(const char *url, natsConnection **nc) {
    natsOptions *opts = NULL;
    natsStatus s = natsOptions_Create(&opts);
    if (s == NATS_OK) s = natsOptions_SetURL(opts, url);
    if (s == NATS_OK) s = natsOptions_SetSendAsap(opts, true);
    if (s == NATS_OK) s = natsConnection_Connect(nc, opts);
    natsOptions_Destroy(opts);
    return s;
}

int cnb_request_reply_rtt(const char *url, int iterations, int payload_size, int64_t *out_ns) {
    natsConnection *server = NULL, *client = NULL;
    natsSubscription *sub = NULL;
    natsMsg *reply = NULL;
    char *payload = calloc(payload_size > 0 ? (size_t)payload_size : 1, 1);
    natsStatus s = connect_asap(url, &server);
    if (s == NATS_OK) s = connect_asap(url, &client);
    if (s == NATS_OK) s = natsConnection_Subscribe(&sub, server, "cnb.rtt", on_request, NULL);
    if (s == NATS_OK) s = natsConnection_Flush(server);
    for (int i = 0; s == NATS_OK && i < iterations; i++) {
        int64_t start = now_ns();
        s = natsConnection_Request(&reply, client, "cnb.rtt", payload, payload_size, 5000);
        out_ns[i] = now_ns() - start;
        natsMsg_Destroy(reply);
        reply = NULL;
    }
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(client);
    natsConnection_Destroy(server);
    free(payload);
    return (int)s;
}
