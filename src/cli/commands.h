// The nsplay subcommands. Each takes argc/argv from its own name on and
// returns the process exit status: 0 success, NSP_EXIT_USAGE (2) for bad
// options, 1 for a failure while running.
#ifndef NSP_CLI_COMMANDS_H
#define NSP_CLI_COMMANDS_H

int nsp_cmd_scenario(int argc, char **argv);
int nsp_cmd_trace_summary(int argc, char **argv);
int nsp_cmd_bench(int argc, char **argv);
int nsp_cmd_view(int argc, char **argv);
int nsp_cmd_render(int argc, char **argv);
int nsp_cmd_gate(int argc, char **argv);
int nsp_cmd_baseline(int argc, char **argv);
int nsp_cmd_history(int argc, char **argv);
int nsp_cmd_result(int argc, char **argv);

#endif
