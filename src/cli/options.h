// Command-line parsing shared by the subcommands: the scenario options of the
// benchmark command (requirements §R2), strict number parsing, and exact long options.
//
// Every parse error names the option and what was expected; callers exit
// with NSP_EXIT_USAGE (2), as getopt-based tools conventionally do.
#ifndef NSP_CLI_OPTIONS_H
#define NSP_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/scenario.h"

#define NSP_EXIT_USAGE 2

// Long options every scenario-taking subcommand accepts, terminated by a
// zero entry. Their `val` codes start at NSP_OPT_SCENARIO_FIRST.
enum {
    NSP_OPT_SCENARIO_FIRST = 1000,
    NSP_OPT_FRAMES = NSP_OPT_SCENARIO_FIRST,
    NSP_OPT_PLAYBACK_FRAMES,
    NSP_OPT_GRID_SIZE,
    NSP_OPT_SEED,
    NSP_OPT_SAMPLE_RATE,
    NSP_OPT_BODYPARTS,
    NSP_OPT_TRAIL,
    NSP_OPT_POSITION,
    NSP_OPT_BODYPARTS_OVERLAY,
    NSP_OPT_HEAD_DIRECTION,
    NSP_OPT_EVENTS,
    NSP_OPT_TIMESERIES,
    NSP_OPT_VIDEO,
    NSP_OPT_ALL_OVERLAYS,
    NSP_OPT_SCENARIO_LAST,
};
extern const struct option nsp_scenario_long_options[];

// The scenario options' help text, one option a line. The _untimed variants
// (help, table, end) are for the commands that time nothing (view, render,
// scenario): they have no --playback-frames.
void nsp_scenario_options_help(FILE *out);
void nsp_scenario_options_help_untimed(FILE *out);

// Handles one scenario option (opt is getopt_long's return value, arg its
// optarg). Returns 1 if handled, 0 if opt is not a scenario option, and
// NSP_EINVAL (message logged) for a bad value.
int nsp_scenario_option(nsp_scenario_desc_t *desc, int opt, const char *arg);

// For the default case of a command's getopt loop: handles a scenario
// option, or says "Try 'nsplay <command> --help'." for an unknown one.
// Returns 0, or NSP_EXIT_USAGE after a message.
int nsp_scenario_option_or_usage(nsp_scenario_desc_t *desc, int opt, const char *arg, const char *command);

// After a command's getopt loop: refuses leftover arguments, applies the
// overlay default, validates the scenario and only then says that the
// default applied. Returns 0 or NSP_EXIT_USAGE.
int nsp_scenario_options_end(int argc, char **argv, nsp_scenario_desc_t *desc);
int nsp_scenario_options_end_untimed(int argc, char **argv, nsp_scenario_desc_t *desc);

// Strict integer parse of a whole string into [lo, hi]; logs
// "<name>: expected an integer in lo..hi, got '<arg>'" on failure.
int nsp_parse_int64(const char *name, const char *arg, int64_t lo, int64_t hi, int64_t *out);
int nsp_parse_uint64(const char *name, const char *arg, uint64_t *out);
int nsp_parse_double(const char *name, const char *arg, double lo, double hi, double *out);

// --width/--height of the field viewport, in pixels: nsp_parse_int64 over
// the range every command accepts (16..8192).
int nsp_parse_field_px(const char *name, const char *arg, int *out);

// Builds a getopt_long table of the given options followed by the scenario
// options into out (capacity cap entries). Returns the entries written.
int nsp_options_concat(struct option *out, int cap, const struct option *own);
int nsp_options_concat_untimed(struct option *out, int cap, const struct option *own);

// What a command on the untimed scenario (view, render, scenario) adds to
// the options every such command takes: -h/--help and the untimed scenario
// options, and --width and --height for those that draw the field.
typedef struct nsp_untimed_command {
    const char *name;           // "view", "render": named in "Try 'nsplay <name> --help'."
    void (*help)(FILE *out);    // Prints its --help text.
    const struct option *own;   // Its own long options (codes 1..899, ended by a zero entry), or NULL.
    // Handles one of own (opt is getopt_long's code, arg its optarg).
    // Returns 0, or NSP_EINVAL after a message.
    int (*own_option)(void *user, int opt, const char *arg);
    void *user;
} nsp_untimed_command_t;

// The getopt loop of such a command: defaults *desc with no overlay chosen,
// reads the scenario options into *desc, --width/--height into
// *field_w/*field_h (only taken when field_w is not NULL) and the command's
// own through own_option. Returns 0 to go on, 1 when --help was printed,
// or NSP_EXIT_USAGE after a message; the caller then checks its own options
// and calls nsp_scenario_options_end_untimed.
int nsp_untimed_options_parse(const nsp_untimed_command_t *cmd, int argc, char **argv, nsp_scenario_desc_t *desc,
                              int *field_w, int *field_h);

// Every getopt_long() call in nsplay is linked to a wrapper in options.c
// (-Wl,--wrap=getopt_long) that refuses abbreviated long options ("--pos"
// for "--position") with a message naming the full ones; glibc would take
// them. Callers see '?' as for any unknown option.

#endif
