#include "error.h"

#include <stdio.h>

static void default_sink(nsp_log_level_t level, const char *msg, void *user);

static nsp_log_fn g_sink = default_sink;
static void *g_sink_user;

const char *nsp_strerror(int err) {
    switch (err) {
    case NSP_OK: return "success";
    case NSP_EINVAL: return "invalid value";
    case NSP_ENOMEM: return "out of memory";
    case NSP_ERANGE: return "index out of range";
    case NSP_ENOSPC: return "buffer too small";
    case NSP_EIO: return "input/output error";
    case NSP_EFORMAT: return "malformed input";
    case NSP_EGL: return "OpenGL error";
    case NSP_ENODISPLAY: return "no display or GL context available";
    default: return "unknown error";
    }
}

static void default_sink(nsp_log_level_t level, const char *msg, void *user) {
    (void)user;
    const char *tag = level == NSP_LOG_ERROR ? "error: " : level == NSP_LOG_WARN ? "warning: " : "";
    fprintf(stderr, "nsplay: %s%s\n", tag, msg);
}

void nsp_log_set_sink(nsp_log_fn fn, void *user) {
    g_sink = fn ? fn : default_sink;
    g_sink_user = fn ? user : NULL;
}

void nsp_log(nsp_log_level_t level, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    g_sink(level, msg, g_sink_user);
}
