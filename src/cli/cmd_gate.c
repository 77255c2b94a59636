// nsplay gate: the regression gate (requirements §R4), and nsplay baseline refresh.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "core/error.h"
#include "gate/gate.h"
#include "options.h"

enum {
    OPT_SCENARIO = 1,
    OPT_ALL,
    OPT_NIGHTLY,
    OPT_LIST,
    OPT_PROFILE,
    OPT_BASELINES,
    OPT_REPS,
    OPT_JSON,
    OPT_JUNIT,
    OPT_AGAINST,
    OPT_TIERS,
    OPT_WORK,
};

// Scenarios one run judges; more are refused, not dropped.
#define MAX_CHOSEN 32

static const struct option options[] = {
    {"scenario", required_argument, NULL, OPT_SCENARIO},
    {"all", no_argument, NULL, OPT_ALL},
    {"nightly", no_argument, NULL, OPT_NIGHTLY},
    {"list", no_argument, NULL, OPT_LIST},
    {"profile", no_argument, NULL, OPT_PROFILE},
    {"baselines", required_argument, NULL, OPT_BASELINES},
    {"reps", required_argument, NULL, OPT_REPS},
    {"json", required_argument, NULL, OPT_JSON},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"against", required_argument, NULL, OPT_AGAINST},
    {"tiers", required_argument, NULL, OPT_TIERS},
    {"work", required_argument, NULL, OPT_WORK},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void help(FILE *out, bool refresh) {
    if (refresh) {
        fprintf(out, "usage: nsplay baseline refresh [--scenario NAME ...|--all|--nightly] [options]\n\n"
                     "Measures each scenario (more repetitions than a check: 10 by default) and writes\n"
                     "its baselines atomically — counters, instructions for this toolchain, timings for\n"
                     "this machine profile — recording commit, date, toolchain, GL renderer, CPU,\n"
                     "repetitions, spread and the scenario digest. Prints old -> new for every value\n"
                     "that moved, for the reviewer of the change. Record timings on a quiet machine:\n"
                     "the baseline's spread sets tier c's thresholds; runs on a busy machine (other\n"
                     "processes over 0.25 cores, or steal over 10%%) write no timing baseline.\n"
                     "Exit status: 0 written, 1 error, 77 a timing baseline not written (machine\n"
                     "busy: run it again when it is quiet), 2 bad options.\n\n");
    } else {
        fprintf(out, "usage: nsplay gate [--scenario NAME ...|--all|--nightly] [options]\n"
                     "       nsplay gate --list | --profile\n\n"
                     "Measures scenarios in fresh processes and judges them on five tiers:\n"
                     "  a  exact counters per frame (draw calls, vertices, bytes, uploads, heap\n"
                     "     allocations during playback): any increase fails;\n"
                     "  b  instructions per zone under callgrind (null backend): more than 2%% fails;\n"
                     "  c  timings, each judged by its ratio to a machine measure timed in the same\n"
                     "     process (the floor frame for the frame and paint, a CPU probe for set-up\n"
                     "     and the callbacks) against this machine profile's baseline: a bootstrap\n"
                     "     interval beyond a noise-scaled threshold (at least 5-10%%), confirmed by a\n"
                     "     second set; inconclusive only on a machine too busy or noisy to decide;\n"
                     "  d  requirements §R3's documented targets (beyond target warns, beyond acceptable fails);\n"
                     "  e  the GL path on a pinned llvmpipe: each phase's instructions (callgrind;\n"
                     "     more than 0.1%% fails, 1%% for the small upload and submit phases) and\n"
                     "     every GL call with its bytes (apitrace; any increase fails); skipped\n"
                     "     without valgrind, apitrace or a baseline.\n"
                     "Exit status: 0 pass, 1 fail, 77 inconclusive (machine too busy or noisy) or\n"
                     "skipped (an asked tier could not judge: no baseline, no GL, no valgrind), 2 bad\n"
                     "options.\n\n");
    }
    fprintf(out, "Options:\n"
                 "  --scenario NAME       a scenario (repeatable); see --list\n"
                 "  --all                 the 8 pull-request scenarios (label perf)\n"
                 "  --nightly             the medium and large scale scenarios\n"
                 "  --baselines DIR       baselines root (default: baselines)\n"
                 "  --reps N              timed repetitions, fresh processes, 3-32 (default 5; refresh 10)\n"
                 "  --tiers LETTERS       tiers to run, e.g. ac (default abcde)\n"
                 "  --work DIR            where runs write results and logs (default: a temp dir)\n");
    if (!refresh) {
        fprintf(out, "  --against BINARY      A/B: run BINARY and this one interleaved (A B A B) and\n"
                     "                        judge this one against it with the same rules\n"
                     "  --json FILE           the report as JSON\n"
                     "  --junit FILE          the report as JUnit XML, for CI dashboards\n"
                     "  --list                the scenarios and what each runs\n"
                     "  --profile             this machine's profile (GL renderer, CPU, cores)\n");
    }
    fprintf(out, "  -h, --help            this text\n");
}

static void list(FILE *out) {
    for (int i = 0; i < nsp_gate_scenario_count; i++) {
        const nsp_gate_scenario_t *s = &nsp_gate_scenarios[i];
        fprintf(out, "%-15s %-8s %-60s nsplay bench", s->name, s->nightly ? "nightly" : "perf", s->summary);
        for (int k = 0; s->args[k]; k++) {
            fprintf(out, " %s", s->args[k]);
        }
        fprintf(out, " --headless\n");
    }
}

// The options given, for check_combinations().
typedef struct combination {
    bool refresh, list, profile, all, nightly;
    int scenarios;
    bool baselines, reps, tiers, json, junit, against, work;
    bool tier[4];
} combination_t;

static int refuse(const char *what) {
    nsp_log(NSP_LOG_ERROR, "%s", what);
    return NSP_EXIT_USAGE;
}

// Refuses contradictory or meaningless combinations of options, each with a
// message naming both; 0 when the combination makes sense.
static int check_combinations(const combination_t *c) {
    int selections = (c->scenarios > 0) + c->all + c->nightly;
    if (c->list && (c->profile || selections || c->baselines || c->reps || c->tiers || c->json || c->junit ||
                    c->against || c->work)) {
        return refuse("--list only lists the scenarios: it takes no other option");
    }
    if (c->profile && (selections || c->baselines || c->reps || c->tiers || c->json || c->junit || c->against)) {
        return refuse("--profile only prints this machine's profile: it takes no scenario, --baselines, --reps, "
                      "--tiers, --json, --junit or --against");
    }
    if (c->all && c->scenarios) {
        return refuse("--all already includes every pull-request scenario: give --all or --scenario, not both");
    }
    if (c->all && c->nightly) {
        return refuse("--all and --nightly choose different scenario sets: give one (or both runs separately)");
    }
    if (c->nightly && c->scenarios) {
        return refuse("--nightly and --scenario both choose the scenarios: give one");
    }
    if (c->reps && c->tiers && !c->tier[2] && !c->tier[3]) {
        return refuse("--reps sets the timed repetitions of tiers c and d, which --tiers leaves out");
    }
    if (c->refresh && c->tiers && c->tier[3] && !c->tier[0] && !c->tier[1] && !c->tier[2]) {
        return refuse("--tiers d: tier d judges documented targets and has no baseline to record");
    }
    if (c->against && c->baselines) {
        return refuse("--against judges against the other binary's runs: it reads no --baselines");
    }
    return 0;
}

static int gate_main(int argc, char **argv, bool refresh) {
    const nsp_gate_scenario_t *chosen[MAX_CHOSEN];
    int n_chosen = 0;
    nsp_gate_opts_t o = {.baselines_dir = "baselines", .repetitions = refresh ? 10 : 5,
                         .tiers = {true, true, true, true, true}, .record = refresh, .out = stdout};
    const char *json = NULL, *junit = NULL, *work = NULL;
    bool want_list = false, want_profile = false, want_all = false, want_nightly = false, baselines_given = false;
    bool reps_given = false, tiers_given = false;
    int n_scenario_flags = 0;
    int64_t v;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'h': help(stdout, refresh); return 0;
        case OPT_SCENARIO: {
            const nsp_gate_scenario_t *s = nsp_gate_scenario_find(optarg);
            if (!s) {
                nsp_log(NSP_LOG_ERROR, "--scenario: no scenario '%s' (see nsplay gate --list)", optarg);
                return NSP_EXIT_USAGE;
            }
            // (With --all or --nightly, check_combinations() refuses the pair.)
            for (int i = 0; i < n_chosen && !want_all && !want_nightly; i++) {
                if (chosen[i] == s) {
                    nsp_log(NSP_LOG_ERROR, "--scenario: '%s' given twice (it would run twice)", optarg);
                    return NSP_EXIT_USAGE;
                }
            }
            if (n_chosen == MAX_CHOSEN) {
                nsp_log(NSP_LOG_ERROR, "--scenario: at most %d scenarios a run", MAX_CHOSEN);
                return NSP_EXIT_USAGE;
            }
            chosen[n_chosen++] = s;
            n_scenario_flags++;
            break;
        }
        case OPT_ALL:
        case OPT_NIGHTLY:
            if (opt == OPT_ALL ? want_all : want_nightly) {
                break;
            }
            *(opt == OPT_ALL ? &want_all : &want_nightly) = true;
            for (int i = 0; i < nsp_gate_scenario_count; i++) {
                if (nsp_gate_scenarios[i].nightly == (opt == OPT_NIGHTLY)) {
                    if (n_chosen == MAX_CHOSEN) {
                        nsp_log(NSP_LOG_ERROR, "%s: at most %d scenarios a run", opt == OPT_ALL ? "--all" : "--nightly",
                                MAX_CHOSEN);
                        return NSP_EXIT_USAGE;
                    }
                    chosen[n_chosen++] = &nsp_gate_scenarios[i];
                }
            }
            break;
        case OPT_LIST: want_list = true; break;
        case OPT_PROFILE: want_profile = true; break;
        case OPT_BASELINES:
            o.baselines_dir = optarg;
            baselines_given = true;
            break;
        case OPT_REPS:
            // A confirming set doubles the runs; a series holds
            // NSP_GATE_MAX_SAMPLES.
            if (nsp_parse_int64("--reps", optarg, 3, NSP_GATE_MAX_SAMPLES / 2, &v) != 0) {
                return NSP_EXIT_USAGE;
            }
            o.repetitions = (int)v;
            reps_given = true;
            break;
        case OPT_JSON: json = optarg; break;
        case OPT_JUNIT: junit = optarg; break;
        case OPT_AGAINST: o.against = optarg; break;
        case OPT_WORK: work = optarg; break;
        case OPT_TIERS:
            memset(o.tiers, 0, sizeof o.tiers);
            for (const char *c = optarg; *c; c++) {
                if (*c < 'a' || *c > 'e') {
                    nsp_log(NSP_LOG_ERROR, "--tiers: expected letters from a, b, c, d, e, got '%s'", optarg);
                    return NSP_EXIT_USAGE;
                }
                o.tiers[*c - 'a'] = true;
            }
            if (optarg[0] == '\0') {
                nsp_log(NSP_LOG_ERROR, "--tiers: expected at least one of a, b, c, d, got nothing (a gate that "
                                       "runs no tier judges nothing)");
                return NSP_EXIT_USAGE;
            }
            tiers_given = true;
            break;
        default:
            fprintf(stderr, "Try 'nsplay %s --help'.\n", refresh ? "baseline refresh" : "gate");
            return NSP_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        nsp_log(NSP_LOG_ERROR, "unexpected argument '%s'", argv[optind]);
        return NSP_EXIT_USAGE;
    }
    if (check_combinations(&(const combination_t){
            .refresh = refresh, .list = want_list, .profile = want_profile, .all = want_all,
            .nightly = want_nightly, .scenarios = n_scenario_flags, .baselines = baselines_given,
            .reps = reps_given, .tiers = tiers_given, .json = json != NULL, .junit = junit != NULL,
            .against = o.against != NULL, .work = work != NULL, .tier = {o.tiers[0], o.tiers[1], o.tiers[2], o.tiers[3]}}) != 0) {
        return NSP_EXIT_USAGE;
    }
    if (want_list) {
        list(stdout);
        return 0;
    }
    if (refresh && o.against) {
        nsp_log(NSP_LOG_ERROR, "--against compares two builds; it records no baselines");
        return NSP_EXIT_USAGE;
    }
    if (o.against && access(o.against, X_OK) != 0) {
        nsp_log(NSP_LOG_ERROR, "--against: '%s' is not an executable file", o.against);
        return NSP_EXIT_USAGE;
    }
    // Inputs before measurements: every baseline file of every chosen
    // scenario is read and checked now, so a malformed one is reported in
    // the first second rather than after the runs. (A refresh overwrites
    // them and creates the directory; an A/B run reads none.)
    if (!refresh && !o.against && !want_profile) {
        int bad_input = 0;
        for (int i = 0; i < n_chosen; i++) {
            int e = nsp_gate_check_baselines(o.baselines_dir, chosen[i]->name);
            if (e == NSP_EINVAL) {
                return NSP_EXIT_USAGE;
            }
            bad_input = bad_input ? bad_input : e;
        }
        if (bad_input) {
            nsp_log(NSP_LOG_ERROR, "a baseline file is malformed (above): nothing measured; fix or refresh it");
            return 1;
        }
    }
    // Children run this very binary.
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    o.exe = n > 0 ? self : argv[0];
    char tmp[] = "/tmp/nsplay-gate-XXXXXX";
    bool own_work = !work;
    if (!work) {
        if (!mkdtemp(tmp)) {
            nsp_log(NSP_LOG_ERROR, "cannot create a work directory under /tmp");
            return 1;
        }
        work = tmp;
    }
    o.work_dir = work;
    int status = 1;
    if (want_profile) {
        // The profile needs the GL renderer: one set-up-only run says it.
        static const char *const args[] = {"--headless", "--no-playback", NULL};
        nsp_gate_run_t run;
        int err = nsp_gate_run_bench(o.exe, &nsp_gate_scenarios[0], args, work, "profile", &run);
        if (err) {
            status = err == NSP_ENODISPLAY ? 3 : 1;
            goto out;
        }
        char profile[160], toolchain[64];
        nsp_gate_profile(&run.machine, profile, sizeof profile);
        nsp_gate_toolchain(&run.machine, toolchain, sizeof toolchain);
        printf("profile:   %s\n  GL renderer %s; CPU %s; %d cores\ntoolchain: %s\n", profile, run.machine.gl_renderer,
               run.machine.cpu, run.machine.cores, toolchain);
        status = 0;
        goto out;
    }
    if (n_chosen == 0) {
        nsp_log(NSP_LOG_ERROR, "no scenario: give --scenario NAME, --all or --nightly (see --list)");
        status = NSP_EXIT_USAGE;
        goto out;
    }
    nsp_gate_result_t *res = calloc((size_t)n_chosen, sizeof *res);
    if (!res) {
        status = 1;
        goto out;
    }
    int worst = NSP_GATE_PASS;
    for (int i = 0; i < n_chosen; i++) {
        fprintf(stderr, "[%d/%d] %s %s\n", i + 1, n_chosen, refresh ? "recording" : "gating", chosen[i]->name);
        nsp_gate_scenario(chosen[i], &o, &res[i]);
        if (!refresh) {
            nsp_gate_print(stdout, &res[i], &o);
        } else if (res[i].status != NSP_GATE_PASS) {
            printf("%s\n", res[i].summary);
        }
        fflush(stdout);
        int s = res[i].status;
        // Severity: error > fail > inconclusive > pass.
        int rank = s == NSP_GATE_ERROR ? 3 : s == NSP_GATE_FAIL ? 2 : s == NSP_GATE_INCONCLUSIVE ? 1 : 0;
        int worst_rank = worst == NSP_GATE_ERROR ? 3 : worst == NSP_GATE_FAIL ? 2 : worst == NSP_GATE_INCONCLUSIVE ? 1 : 0;
        worst = rank > worst_rank ? s : worst;
    }
    if (!refresh && n_chosen > 1) {
        printf("\nSummary:\n");
        for (int i = 0; i < n_chosen; i++) {
            printf("  %s\n", res[i].summary);
        }
    }
    if (json && nsp_gate_write_json(json, res, n_chosen) != 0) {
        worst = NSP_GATE_ERROR;
    }
    if (junit && nsp_gate_write_junit(junit, res, n_chosen) != 0) {
        worst = NSP_GATE_ERROR;
    }
    free(res);
    // An error (the measurement itself failed) is a failure for ctest.
    status = worst == NSP_GATE_ERROR ? 1 : worst;
out:
    // The gate's own temporary work directory goes; one given with --work
    // stays (it holds the runs' logs for a post-mortem).
    if (own_work) {
        nsp_gate_remove_work(work);
    }
    return status;
}

int nsp_cmd_gate(int argc, char **argv) {
    return gate_main(argc, argv, false);
}

int nsp_cmd_baseline(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "refresh") != 0) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            help(stdout, true);
            return 0;
        }
        nsp_log(NSP_LOG_ERROR, "usage: nsplay baseline refresh [options] (see nsplay baseline refresh --help)");
        return NSP_EXIT_USAGE;
    }
    return gate_main(argc - 1, argv + 1, true);
}
