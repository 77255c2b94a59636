// nsplay history: the nightly performance history (gate/history.h) and its
// change points (gate/changepoint.h).
//
//   append   validate a night's run record and store it
//   show     each series' values over the runs, change points marked
//   changes  every change point of every series
//   export   CSV, one row per run x scenario x metric, for plotting
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/error.h"
#include "core/fileio.h"
#include "gate/changepoint.h"
#include "gate/history.h"
#include "json/json.h"
#include "options.h"

enum {
    OPT_DIR = 1,
    OPT_RUN,
    OPT_PROFILE,
    OPT_SCENARIO,
    OPT_METRIC,
    OPT_CSV,
    OPT_PVALUE,
    OPT_PERMUTATIONS,
    OPT_MIN_SIZE,
    OPT_MIN_CHANGE,
    OPT_TSV,
};

#define O_DIR {"dir", required_argument, NULL, OPT_DIR}
#define O_PROFILE {"profile", required_argument, NULL, OPT_PROFILE}
#define O_SCENARIO {"scenario", required_argument, NULL, OPT_SCENARIO}
#define O_METRIC {"metric", required_argument, NULL, OPT_METRIC}
#define O_DETECTOR                                                                                              \
    {"pvalue", required_argument, NULL, OPT_PVALUE}, {"permutations", required_argument, NULL, OPT_PERMUTATIONS}, \
        {"min-size", required_argument, NULL, OPT_MIN_SIZE}
#define O_HELP {"help", no_argument, NULL, 'h'}
#define O_END {NULL, 0, NULL, 0}

static const struct option append_options[] = {O_DIR, {"run", required_argument, NULL, OPT_RUN}, O_HELP, O_END};
static const struct option show_options[] = {O_DIR, O_PROFILE, O_SCENARIO, O_METRIC, O_DETECTOR, O_HELP, O_END};
static const struct option changes_options[] = {
    O_DIR, O_PROFILE, O_SCENARIO, O_METRIC, O_DETECTOR, {"min-change", required_argument, NULL, OPT_MIN_CHANGE},
    {"tsv", no_argument, NULL, OPT_TSV}, O_HELP, O_END};
static const struct option export_options[] = {
    O_DIR, O_PROFILE, O_SCENARIO, O_METRIC, {"csv", required_argument, NULL, OPT_CSV}, O_HELP, O_END};

typedef struct history_opts {
    const char *dir, *run, *profile, *scenario, *metric, *csv;
    nsp_changepoint_params_t cp;
    double min_change;
    bool tsv;
} history_opts_t;

static const char filters_help[] =
    "  --profile P          only runs of this machine profile (nsplay gate --profile)\n"
    "  --scenario S         only this scenario\n"
    "  --metric M           only this metric\n";

static const char detector_help[] =
    "Change points: E-divisive (Matteson & James 2014, as MongoDB runs it) with a\n"
    "seeded permutation test, so the same history always gives the same answer.\n"
    "  --pvalue P           significance of each change (default 0.05)\n"
    "  --permutations N     permutations per test (default 199)\n"
    "  --min-size N         fewest runs between two changes (default 5)\n";

static void help_general(FILE *out) {
    fprintf(out, "usage: nsplay history <append|show|changes|export> --dir DIR [options]\n\n"
                 "The nightly performance history: one JSON file per run under DIR/runs/\n"
                 "(appends need no lock and never rewrite a file), read back as series of\n"
                 "(machine profile, scenario, metric), with their change points.\n\n"
                 "  append   --run FILE.json   validate a run record and store it\n"
                 "  show                       values over the runs, change points marked\n"
                 "  changes                    every change point of every series\n"
                 "  export   --csv FILE        one CSV row per run x scenario x metric\n\n"
                 "'nsplay history <subcommand> --help' describes each one's options.\n");
}

static void help_sub(FILE *out, const char *sub) {
    if (strcmp(sub, "append") == 0) {
        fprintf(out, "usage: nsplay history append --dir DIR --run FILE.json\n\n"
                     "Validates a night's run record (schema %d, kind \"%s\": date in ISO-8601\n"
                     "UTC, commit, profile, records of {scenario, metrics, spread}; see\n"
                     "src/gate/history.h) and stores it atomically as a new file under DIR/runs/.\n"
                     "Exit status: 0 stored, 1 invalid record or I/O failure, 2 bad options.\n\n"
                     "  --dir DIR            the history (created when missing)\n"
                     "  --run FILE.json      the run record\n",
                NSP_HISTORY_SCHEMA, NSP_HISTORY_KIND);
    } else if (strcmp(sub, "show") == 0) {
        fprintf(out, "usage: nsplay history show --dir DIR [--profile P] [--scenario S] [--metric M]\n\n"
                     "Prints each series (profile, scenario, metric) as a table of its runs in date\n"
                     "order: date, commit, value, spread; a detected change is marked on the first\n"
                     "run after it.\n\n"
                     "  --dir DIR            the history\n%s\n%s",
                filters_help, detector_help);
    } else if (strcmp(sub, "changes") == 0) {
        fprintf(out, "usage: nsplay history changes --dir DIR [--profile P] [options]\n\n"
                     "Every change point of every series: the run it starts at, the commit range\n"
                     "(last commit before..first after), the relative change of the means of the\n"
                     "segments on either side, and whether that is slower or faster. A change that\n"
                     "the scenario's floor frame (floor_median_ms, the machine's speed) shows too,\n"
                     "within a run and the same way, is marked: the machine is the likelier cause.\n\n"
                     "  --dir DIR            the history\n%s"
                     "  --min-change F       list only changes of at least F (0.03 = 3%%; default 0)\n"
                     "  --tsv                tab-separated, with a header, for scripts: profile, scenario,\n"
                     "                       metric, index, date, commit_before, commit_after, change\n"
                     "                       (a fraction), direction, mean_before, mean_after, pvalue,\n"
                     "                       floor_too (yes or no)\n\n%s",
                filters_help, detector_help);
    } else {
        fprintf(out, "usage: nsplay history export --dir DIR --csv FILE|- [filters]\n\n"
                     "Writes one CSV row per run x scenario x metric, in date order:\n"
                     "  date,commit,profile,scenario,metric,value,spread\n"
                     "(spread empty when the run recorded none). For example, with gnuplot:\n"
                     "  nsplay history export --dir DIR --csv h.csv --scenario all6 --metric frame_median_ms\n"
                     "  gnuplot -p -e \"set datafile separator ','; set xdata time;\n"
                     "    set timefmt '%%Y-%%m-%%dT%%H:%%M:%%SZ'; plot 'h.csv' every ::1 using 1:6:7 with yerrorlines\"\n\n"
                     "  --dir DIR            the history\n"
                     "  --csv FILE           where to write (atomically); - for standard output\n%s",
                filters_help);
    }
    fprintf(out, "  -h, --help           this text\n");
}

// Returns 0 to go on, -1 after --help (exit 0), or NSP_EXIT_USAGE.
static int parse(int argc, char **argv, const char *sub, const struct option *table, history_opts_t *o) {
    int64_t v;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", table, NULL)) != -1) {
        switch (opt) {
        case 'h': help_sub(stdout, sub); return -1;
        case OPT_DIR: o->dir = optarg; break;
        case OPT_RUN: o->run = optarg; break;
        case OPT_PROFILE: o->profile = optarg; break;
        case OPT_SCENARIO: o->scenario = optarg; break;
        case OPT_METRIC: o->metric = optarg; break;
        case OPT_CSV: o->csv = optarg; break;
        case OPT_TSV: o->tsv = true; break;
        case OPT_PVALUE:
            if (nsp_parse_double("--pvalue", optarg, 1e-6, 0.5, &o->cp.pvalue) != 0) {
                return NSP_EXIT_USAGE;
            }
            break;
        case OPT_PERMUTATIONS:
            if (nsp_parse_int64("--permutations", optarg, 19, 100000, &v) != 0) {
                return NSP_EXIT_USAGE;
            }
            o->cp.permutations = (int)v;
            break;
        case OPT_MIN_SIZE:
            if (nsp_parse_int64("--min-size", optarg, 2, 1000, &v) != 0) {
                return NSP_EXIT_USAGE;
            }
            o->cp.min_size = (int)v;
            break;
        case OPT_MIN_CHANGE:
            if (nsp_parse_double("--min-change", optarg, 0.0, 10.0, &o->min_change) != 0) {
                return NSP_EXIT_USAGE;
            }
            break;
        default: fprintf(stderr, "Try 'nsplay history %s --help'.\n", sub); return NSP_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        nsp_log(NSP_LOG_ERROR, "history %s: unexpected argument '%s'", sub, argv[optind]);
        return NSP_EXIT_USAGE;
    }
    if (!o->dir) {
        nsp_log(NSP_LOG_ERROR, "history %s: --dir DIR is required (the history directory)", sub);
        return NSP_EXIT_USAGE;
    }
    if (o->cp.permutations + 1 < 1.0 / o->cp.pvalue) {
        nsp_log(NSP_LOG_ERROR, "--permutations: %d cannot reach --pvalue %g; need at least %.0f", o->cp.permutations,
                o->cp.pvalue, ceil(1.0 / o->cp.pvalue) - 1);
        return NSP_EXIT_USAGE;
    }
    return 0;
}

static int cmd_append(const history_opts_t *o) {
    if (!o->run) {
        nsp_log(NSP_LOG_ERROR, "history append: --run FILE.json is required (the run record to store)");
        return NSP_EXIT_USAGE;
    }
    int err;
    cJSON *run = nsp_json_read_file(o->run, &err);
    if (!run) {
        return 1;
    }
    char path[4096];
    err = nsp_history_append(o->dir, run, o->run, path, sizeof path);
    cJSON_Delete(run);
    if (err) {
        return 1;
    }
    printf("stored %s\n", path);
    return 0;
}

static bool matches(const nsp_history_key_t *k, const history_opts_t *o) {
    return (!o->scenario || strcmp(k->scenario, o->scenario) == 0) && (!o->metric || strcmp(k->metric, o->metric) == 0);
}

// Loads the history and the keys matching the filters. Returns 0, 1 (a
// failure, logged) or -1 (nothing to show, said on stdout).
static int load(const history_opts_t *o, nsp_history_t *h, nsp_history_key_t **keys, int *n_keys) {
    *keys = NULL;
    *n_keys = 0;
    if (nsp_history_load(h, o->dir, o->profile) != 0) {
        return 1;
    }
    if (h->n_runs == 0) {
        if (o->profile) {
            nsp_log(NSP_LOG_ERROR, "%s: no runs of profile '%s'", o->dir, o->profile);
            return 1;
        }
        printf("%s: no runs recorded yet\n", o->dir);
        return -1;
    }
    nsp_history_key_t *all;
    int n_all;
    if (nsp_history_keys(h, &all, &n_all) != 0) {
        return 1;
    }
    int n = 0;
    for (int i = 0; i < n_all; i++) {
        if (matches(&all[i], o)) {
            all[n++] = all[i];
        }
    }
    if (n == 0) {
        nsp_log(NSP_LOG_ERROR, "%s: no series with scenario '%s' and metric '%s'%s%s", o->dir,
                o->scenario ? o->scenario : "*", o->metric ? o->metric : "*", o->profile ? " in profile " : "",
                o->profile ? o->profile : "");
        free(all);
        return 1;
    }
    *keys = all;
    *n_keys = n;
    return 0;
}

// The change points of one series. *changes is a heap array (caller frees).
static int detect(const nsp_history_series_t *s, const char *metric, const history_opts_t *o,
                  nsp_changepoint_t **changes, int *n) {
    nsp_changepoint_params_t p = o->cp;
    p.higher_is_better = nsp_history_higher_is_better(metric);
    int cap = s->n / p.min_size + 1;
    *changes = malloc((size_t)cap * sizeof **changes);
    if (!*changes) {
        return NSP_ENOMEM;
    }
    return nsp_changepoints(s->values, s->n, s->commits, &p, *changes, cap, n);
}

// One series of the history with its change points, and for each whether
// the scenario's floor frame (the machine's speed probe, recorded each
// night as floor_median_ms) changed too, within a run and the same way:
// then the machine, not the code, is the likelier cause.
typedef struct series_changes {
    nsp_history_series_t s;
    nsp_changepoint_t *cps;
    bool *floor_too;
    int n;
} series_changes_t;

static void series_changes_destroy(series_changes_t *sc) {
    free(sc->cps);
    free(sc->floor_too);
    nsp_history_series_destroy(&sc->s);
}

// Returns 0, or nonzero with sc destroyed.
static int series_changes(const nsp_history_t *h, const nsp_history_key_t *key, const history_opts_t *o,
                          series_changes_t *sc) {
    *sc = (series_changes_t){0};
    if (nsp_history_series(h, key->profile, key->scenario, key->metric, &sc->s) != 0 ||
        detect(&sc->s, key->metric, o, &sc->cps, &sc->n) != 0 ||
        !(sc->floor_too = calloc((size_t)sc->n + 1, sizeof *sc->floor_too))) {
        series_changes_destroy(sc);
        return 1;
    }
    nsp_history_series_t fs;
    if (sc->n == 0 || strcmp(key->metric, "floor_median_ms") == 0 ||
        nsp_history_series(h, key->profile, key->scenario, "floor_median_ms", &fs) != 0) {
        return 0;  // No change, or no floor frame to tell: none marked.
    }
    nsp_changepoint_t *fcps = NULL;
    int nf = 0;
    if (fs.n > 0 && detect(&fs, "floor_median_ms", o, &fcps, &nf) == 0) {
        for (int c = 0; c < sc->n; c++) {
            const nsp_changepoint_t *cp = &sc->cps[c];
            for (int i = 0; i < nf && !sc->floor_too[c]; i++) {
                sc->floor_too[c] = abs(fcps[i].index - cp->index) <= 1 && (fcps[i].size > 0.0) == (cp->size > 0.0);
            }
        }
    }
    free(fcps);
    nsp_history_series_destroy(&fs);
    return 0;
}

static void print_detector(const history_opts_t *o) {
    printf("E-divisive: p <= %g, %d permutations, segments of at least %d runs\n", o->cp.pvalue,
           o->cp.permutations, o->cp.min_size);
}

// The selected series of a loaded history, for the subcommands that go
// through them one by one.
typedef int (*series_body_t)(const history_opts_t *o, const nsp_history_t *h, const nsp_history_key_t *keys,
                             int n_keys);

// Loads the history and its selected series, runs body over them and frees
// them. Returns body's result, 0 when no runs are recorded yet, or 1.
static int with_series(const history_opts_t *o, series_body_t body) {
    nsp_history_t h;
    nsp_history_key_t *keys;
    int n_keys;
    int rc = load(o, &h, &keys, &n_keys);
    if (rc == 0) {
        rc = body(o, &h, keys, n_keys);
    }
    free(keys);
    nsp_history_destroy(&h);
    return rc < 0 ? 0 : rc;
}

static int show(const history_opts_t *o, const nsp_history_t *h, const nsp_history_key_t *keys, int n_keys) {
    int rc = 0;
    const char *profile = NULL;
    for (int k = 0; k < n_keys; k++) {
        const nsp_history_key_t *key = &keys[k];
        if (!profile || strcmp(profile, key->profile) != 0) {
            profile = key->profile;
            printf("%sprofile %s\n", k ? "\n" : "", profile);
        }
        series_changes_t sc;
        if (series_changes(h, key, o, &sc) != 0) {
            rc = 1;
            break;
        }
        const nsp_history_series_t *s = &sc.s;
        printf("\n%s / %s: %d runs, %s is better\n", key->scenario, key->metric, s->n,
               nsp_history_higher_is_better(key->metric) ? "higher" : "lower");
        printf("  %-4s %-22s %-14s %12s %10s\n", "#", "date", "commit", "value", "spread");
        int c = 0;
        for (int i = 0; i < s->n; i++) {
            char spread[32] = "";
            if (!isnan(s->spreads[i])) {
                snprintf(spread, sizeof spread, "%.4g", s->spreads[i]);
            }
            bool mark = c < sc.n && sc.cps[c].index == i;
            printf("  %-4d %-22s %-14.14s %12.6g", i, s->dates[i], s->commits[i], s->values[i]);
            if (spread[0] || mark) {
                printf(" %10s", spread);
            }
            if (mark) {
                const nsp_changepoint_t *cp = &sc.cps[c];
                printf("  <- change %+.1f%% %s (mean %.6g -> %.6g, p %.3f)%s", 100.0 * cp->size,
                       nsp_changepoint_direction_name(cp->direction), cp->mean_before, cp->mean_after, cp->pvalue,
                       sc.floor_too[c] ? "; the floor frame changed too: the machine?" : "");
                c++;
            }
            printf("\n");
        }
        series_changes_destroy(&sc);
    }
    if (rc == 0) {
        printf("\nchange points by ");
        print_detector(o);
    }
    return rc;
}

static int cmd_show(const history_opts_t *o) {
    return with_series(o, show);
}

static int width(int w, const char *s) {
    int n = (int)strlen(s);
    return n > w ? n : w;
}

// One row per change point: whitespace-separated fields in a fixed order
// (profile scenario metric run date before..after change direction mean ->
// mean p) that scripts may split, or with --tsv tab-separated with a header
// and the change as a fraction.
static int changes(const history_opts_t *o, const nsp_history_t *h, const nsp_history_key_t *keys, int n_keys) {
    int rc = 0;
    int w_profile = (int)strlen("profile"), w_scenario = (int)strlen("scenario"), w_metric = (int)strlen("metric");
    for (int k = 0; k < n_keys; k++) {
        w_profile = width(w_profile, keys[k].profile);
        w_scenario = width(w_scenario, keys[k].scenario);
        w_metric = width(w_metric, keys[k].metric);
    }
    if (o->tsv) {
        printf("profile\tscenario\tmetric\tindex\tdate\tcommit_before\tcommit_after\tchange\tdirection\t"
               "mean_before\tmean_after\tpvalue\tfloor_too\n");
    }
    int total = 0, short_series = 0, listed = 0;
    for (int k = 0; k < n_keys; k++) {
        const nsp_history_key_t *key = &keys[k];
        series_changes_t sc;
        if (series_changes(h, key, o, &sc) != 0) {
            rc = 1;
            break;
        }
        const nsp_history_series_t *s = &sc.s;
        short_series += s->n < 2 * o->cp.min_size;
        for (int c = 0; c < sc.n; c++) {
            const nsp_changepoint_t *cp = &sc.cps[c];
            total++;
            if (fabs(cp->size) < o->min_change) {
                continue;
            }
            const char *direction = nsp_changepoint_direction_name(cp->direction);
            if (o->tsv) {
                printf("%s\t%s\t%s\t%d\t%s\t%s\t%s\t%.6g\t%s\t%.6g\t%.6g\t%.3f\t%s\n", key->profile,
                       key->scenario, key->metric, cp->index, s->dates[cp->index], cp->label_before,
                       cp->label_after, cp->size, direction, cp->mean_before, cp->mean_after, cp->pvalue,
                       sc.floor_too[c] ? "yes" : "no");
                listed++;
                continue;
            }
            if (listed++ == 0) {
                printf("%-*s  %-*s  %-*s  %4s  %-20s  %-26s  %7s  %-9s  %-25s  %s\n", w_profile, "profile",
                       w_scenario, "scenario", w_metric, "metric", "run", "date", "commits (before..after)",
                       "change", "direction", "mean before -> after", "p");
            }
            char commits[64], means[64];
            snprintf(commits, sizeof commits, "%.12s..%.12s", cp->label_before, cp->label_after);
            snprintf(means, sizeof means, "%.6g -> %.6g", cp->mean_before, cp->mean_after);
            printf("%-*s  %-*s  %-*s  %4d  %-20s  %-26s  %+6.1f%%  %-9s  %-25s  %.3f%s\n", w_profile,
                   key->profile, w_scenario, key->scenario, w_metric, key->metric, cp->index, s->dates[cp->index],
                   commits, 100.0 * cp->size, direction, means, cp->pvalue,
                   sc.floor_too[c] ? "  the floor frame changed too: the machine?" : "");
        }
        series_changes_destroy(&sc);
    }
    if (rc == 0 && !o->tsv) {
        if (listed == 0) {
            printf("no change points\n");
        }
        printf("\n%d change point%s in %d series over %d runs", total, total == 1 ? "" : "s", n_keys, h->n_runs);
        if (listed != total) {
            printf(" (%d of at least %.1f%% listed)", listed, 100.0 * o->min_change);
        }
        printf(", by ");
        print_detector(o);
        if (short_series) {
            printf("%d series have fewer than %d runs: too short to judge yet\n", short_series, 2 * o->cp.min_size);
        }
    }
    return rc;
}

static int cmd_changes(const history_opts_t *o) {
    return with_series(o, changes);
}

// Growing text buffer for the CSV.
typedef struct text {
    char *s;
    size_t len, cap;
    bool failed;
} text_t;

NSP_PRINTF(2, 3)
static void append(text_t *t, const char *fmt, ...) {
    if (t->failed) {
        return;
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if (t->s && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + (size_t)n + 1) {
            cap *= 2;
        }
        char *bigger = realloc(t->s, cap);
        if (!bigger) {
            t->failed = true;
            return;
        }
        t->s = bigger;
        t->cap = cap;
    }
}

// A CSV field, quoted when it holds a separator, a quote or a line break.
static void append_field(text_t *t, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) {
        append(t, "%s,", s);
        return;
    }
    append(t, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            append(t, "\"\"");
        } else {
            append(t, "%c", *p);
        }
    }
    append(t, "\",");
}

// The shortest decimal that reads back as v.
static void append_number(text_t *t, double v) {
    char buf[32];
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) {
            break;
        }
    }
    append(t, "%s", buf);
}

static int cmd_export(const history_opts_t *o) {
    if (!o->csv) {
        nsp_log(NSP_LOG_ERROR, "history export: --csv FILE is required (- for standard output)");
        return NSP_EXIT_USAGE;
    }
    nsp_history_t h;
    if (nsp_history_load(&h, o->dir, o->profile) != 0) {
        return 1;
    }
    text_t t = {0};
    append(&t, "date,commit,profile,scenario,metric,value,spread\n");
    int rows = 0;
    for (int i = 0; i < h.n_runs; i++) {
        const nsp_history_run_t *r = &h.runs[i];
        const cJSON *rec;
        cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(r->root, "records")) {
            const char *scenario = cJSON_GetObjectItemCaseSensitive(rec, "scenario")->valuestring;
            if (o->scenario && strcmp(scenario, o->scenario) != 0) {
                continue;
            }
            const cJSON *spread = cJSON_GetObjectItemCaseSensitive(rec, "spread");
            const cJSON *m;
            cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rec, "metrics")) {
                if (o->metric && strcmp(m->string, o->metric) != 0) {
                    continue;
                }
                append_field(&t, r->date);
                append_field(&t, r->commit);
                append_field(&t, r->profile);
                append_field(&t, scenario);
                append_field(&t, m->string);
                append_number(&t, m->valuedouble);
                append(&t, ",");
                const cJSON *sp = cJSON_GetObjectItemCaseSensitive(spread, m->string);
                if (cJSON_IsNumber(sp)) {
                    append_number(&t, sp->valuedouble);
                }
                append(&t, "\n");
                rows++;
            }
        }
    }
    int n_runs = h.n_runs;
    nsp_history_destroy(&h);
    if (rows == 0 && (o->profile || o->scenario || o->metric)) {
        nsp_log(NSP_LOG_ERROR, "%s: no values of profile '%s', scenario '%s' and metric '%s'", o->dir,
                o->profile ? o->profile : "*", o->scenario ? o->scenario : "*", o->metric ? o->metric : "*");
        free(t.s);
        return 1;
    }
    if (t.failed) {
        free(t.s);
        return 1;
    }
    int rc = 0;
    if (strcmp(o->csv, "-") == 0) {
        rc = fwrite(t.s, 1, t.len, stdout) == t.len ? 0 : 1;
    } else {
        rc = nsp_file_write_atomic(o->csv, t.s, t.len) == 0 ? 0 : 1;
        if (rc == 0) {
            printf("wrote %s: %d rows from %d runs\n", o->csv, rows, n_runs);
        }
    }
    free(t.s);
    return rc;
}

int nsp_cmd_history(int argc, char **argv) {
    if (argc < 2) {
        help_general(stderr);
        return NSP_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        help_general(stdout);
        return 0;
    }
    static const struct {
        const char *name;
        const struct option *options;
        int (*run)(const history_opts_t *);
    } subs[] = {
        {"append", append_options, cmd_append},
        {"show", show_options, cmd_show},
        {"changes", changes_options, cmd_changes},
        {"export", export_options, cmd_export},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(sub, subs[i].name) == 0) {
            history_opts_t o = {0};
            nsp_changepoint_params_default(&o.cp);
            int rc = parse(argc - 1, argv + 1, sub, subs[i].options, &o);
            if (rc) {
                return rc < 0 ? 0 : rc;
            }
            return subs[i].run(&o);
        }
    }
    nsp_log(NSP_LOG_ERROR, "history: unknown subcommand '%s' (expected append, show, changes or export)", sub);
    return NSP_EXIT_USAGE;
}
