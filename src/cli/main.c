// nsplay: the command-line entry point; dispatches to a subcommand.
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "options.h"

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
    fprintf(out, "\n'nsplay <command> --help' describes a command's options.\n");
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "nsplay: error: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return NSP_EXIT_USAGE;
}
