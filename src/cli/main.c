// nsplay: the command-line entry point; dispatches to a subcommand.
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "nsp_version.h"
#include "options.h"

// The build defines these (src/CMakeLists.txt); the fallbacks keep a build by
// other means honest about not knowing.
#ifndef NSP_VERSION
#define NSP_VERSION "unknown"
#endif
#ifndef NSP_BUILD_TYPE
#define NSP_BUILD_TYPE "unknown"
#endif

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    {"bench", nsp_cmd_bench, "replay a scenario, time every frame, print the report"},
    {"view", nsp_cmd_view, "interactive viewer on a scenario (needs a display)"},
    {"render", nsp_cmd_render, "render one frame offscreen to a PNG"},
    {"gate", nsp_cmd_gate, "judge scenarios against baselines and the documented bounds"},
    {"baseline", nsp_cmd_baseline, "'baseline refresh': record baselines after an intended change"},
    {"scenario", nsp_cmd_scenario, "generate a seeded scenario and print its summary and digest"},
    {"trace-summary", nsp_cmd_trace_summary, "summarize a Chrome trace written under NEUROSPATIAL_PERFMON"},
    {"history", nsp_cmd_history, "the nightly performance history: append, show, changes, export"},
    {"result", nsp_cmd_result, "print the figures of 'bench --json' files under the gate's metric names (TSV)"},
};

static void usage(FILE *out) {
    fprintf(out, "usage: nsplay <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\n'nsplay <command> --help' describes a command's options; long options are\n"
                 "spelt out in full (abbreviations are refused). 'nsplay --version' (-V) prints the\n"
                 "version, commit and build type.\n\n"
                 "environment:\n"
                 "  NEUROSPATIAL_TIMING=1       print a [TIMING] line on stderr per timed zone\n"
                 "  NEUROSPATIAL_PERFMON=FILE   write a Chrome trace of the run to FILE (or a JSON\n"
                 "                              config naming it; docs/profiling.md)\n"
                 "  NAPARI_PERFMON=FILE         the old name of NEUROSPATIAL_PERFMON, still read\n"
                 "  NSPLAY_TEST_SLOWDOWN=LIST   test-only: extra work a frame, so the gate's own tests\n"
                 "                              can show each tier catching it; never set it when\n"
                 "                              measuring (src/bench/fault.h gives the syntax)\n");
}

static void version(void) {
    printf("nsplay %s, commit %s, %s build\n", NSP_VERSION, NSP_GIT_COMMIT, NSP_BUILD_TYPE);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return NSP_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        version();
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "nsplay: error: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return NSP_EXIT_USAGE;
}
