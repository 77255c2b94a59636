// nsplay trace-summary: the summary (trace/summary.h) and the format check
// (trace/check.h) of one Chrome trace, both on one parsed model of the file.
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "commands.h"
#include "core/error.h"
#include "options.h"
#include "trace/check.h"
#include "trace/model.h"
#include "trace/summary.h"

#define DEFAULT_TOP 10

static void help(FILE *out) {
    fprintf(out, "usage: nsplay trace-summary [options] FILE\n\n"
                 "Summarizes a Chrome Trace Event Format file (as written under\n"
                 "NEUROSPATIAL_PERFMON): total duration, self time by category, the zones with\n"
                 "the most total time and the most calls (count, total, mean, p95 and self time\n"
                 "in ms; self time excludes nested zones), and the instant-event markers (count,\n"
                 "first and last time after the trace start). It also checks the file against\n"
                 "the format's rules and warns about what a viewer would reject.\n\n"
                 "Options:\n"
                 "  --top N               zones listed in each table (default %d)\n"
                 "  --check               exit 1 when the format check finds a problem\n"
                 "  -h, --help            this text\n\n"
                 "Exit status: 0 when the file was summarized (also when it holds no complete\n"
                 "events: \"Complete events: none\"); 1 when it cannot be read, is not JSON or\n"
                 "not a trace, or an event is malformed (a missing or ill-typed field, a time\n"
                 "that is negative, not finite or beyond %.3g us: the message names the file\n"
                 "and the event index), and with --check when the format check finds a\n"
                 "problem; 2 for bad options.\n",
            DEFAULT_TOP, NSP_TRACE_TIME_MAX_US);
}

int nsp_cmd_trace_summary(int argc, char **argv) {
    enum { OPT_TOP = 1, OPT_CHECK };
    static const struct option opts[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"check", no_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t top = DEFAULT_TOP;
    bool check = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            help(stdout);
            return 0;
        case OPT_TOP:
            if (nsp_parse_int64("--top", optarg, 1, 1000000, &top) != 0) {
                return NSP_EXIT_USAGE;
            }
            break;
        case OPT_CHECK:
            check = true;
            break;
        default:
            fprintf(stderr, "Try 'nsplay trace-summary --help'.\n");
            return NSP_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        nsp_log(NSP_LOG_ERROR, "trace-summary: expected a trace FILE");
        fprintf(stderr, "Try 'nsplay trace-summary --help'.\n");
        return NSP_EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        nsp_log(NSP_LOG_ERROR, "trace-summary: unexpected argument '%s' (one FILE only)", argv[optind + 1]);
        return NSP_EXIT_USAGE;
    }
    nsp_trace_t trace;
    if (nsp_trace_load(&trace, argv[optind]) != 0) {
        return 1;
    }
    int status = nsp_trace_summary_print(&trace, stdout, (size_t)top) == 0 ? 0 : 1;
    if (status == 0) {
        nsp_trace_check_t chk;
        if (nsp_trace_check(&trace, &chk) == 0) {
            printf("\nFormat check: OK (%zu events)\n", chk.events);
        } else {
            printf("\nFormat check: %zu problem%s (listed on stderr)\n", chk.problems, chk.problems == 1 ? "" : "s");
            status = check ? 1 : 0;
        }
    }
    nsp_trace_destroy(&trace);
    return status;
}
