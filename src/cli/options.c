#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

const struct option nsp_scenario_long_options[] = {
    {"frames", required_argument, NULL, NSP_OPT_FRAMES},
    {"playback-frames", required_argument, NULL, NSP_OPT_PLAYBACK_FRAMES},
    {"grid-size", required_argument, NULL, NSP_OPT_GRID_SIZE},
    {"seed", required_argument, NULL, NSP_OPT_SEED},
    {"sample-rate", required_argument, NULL, NSP_OPT_SAMPLE_RATE},
    {"n-bodyparts", required_argument, NULL, NSP_OPT_BODYPARTS},
    {"trail", required_argument, NULL, NSP_OPT_TRAIL},
    {"position", no_argument, NULL, NSP_OPT_POSITION},
    {"bodyparts", no_argument, NULL, NSP_OPT_BODYPARTS_OVERLAY},
    {"head-direction", no_argument, NULL, NSP_OPT_HEAD_DIRECTION},
    {"events", no_argument, NULL, NSP_OPT_EVENTS},
    {"timeseries", no_argument, NULL, NSP_OPT_TIMESERIES},
    {"video", no_argument, NULL, NSP_OPT_VIDEO},
    {"all-overlays", no_argument, NULL, NSP_OPT_ALL_OVERLAYS},
    {NULL, 0, NULL, 0},
};

// The scenario options' help; timed adds --playback-frames, which only the
// benchmark uses.
static void scenario_help(FILE *out, bool timed) {
    fprintf(out,
            "Scenario (requirements §R1; every value comes from --seed through PCG32):\n"
            "  --frames N            animation frames, 1..%d (default 500)\n",
            NSP_FRAMES_MAX);
    if (timed) {
        fprintf(out, "  --playback-frames N   frames stepped through for timing (default 100;\n"
                     "                        above --frames it is clamped, with a notice)\n");
    }
    fprintf(out,
            "  --grid-size N         environment grid size, %d..%d (default 50)\n"
            "  --seed N              random seed, 0..2^64-1 (default 42)\n"
            "  --sample-rate HZ      frames (and LFP samples) per second (default 30)\n"
            "  --n-bodyparts N       keypoints of the skeleton, 2..%d (default 5)\n"
            "  --trail N             position trail length in frames, 1..%d (default 15)\n"
            "Overlays (with none given: position only, and it says so):\n"
            "  --position --bodyparts --head-direction --events --timeseries --video\n"
            "  --all-overlays        all six\n"
            "Long options are spelt out in full: an abbreviation such as --pos is refused.\n",
            NSP_GRID_MIN, NSP_GRID_MAX, NSP_BODYPARTS_MAX, NSP_TRAIL_MAX);
}

void nsp_scenario_options_help(FILE *out) {
    scenario_help(out, true);
}

void nsp_scenario_options_help_untimed(FILE *out) {
    scenario_help(out, false);
}

// strtoll and friends skip leading white space, so " -1" would reach
// strtoull as 18446744073709551615: a number option starts with a digit, a
// sign or (for doubles) a point.
static bool starts_number(const char *arg) {
    return arg && (isdigit((unsigned char)arg[0]) || arg[0] == '-' || arg[0] == '+' || arg[0] == '.');
}

int nsp_parse_int64(const char *name, const char *arg, int64_t lo, int64_t hi, int64_t *out) {
    char *end = NULL;
    errno = 0;
    long long v = starts_number(arg) ? strtoll(arg, &end, 10) : 0;
    if (!starts_number(arg) || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        nsp_log(NSP_LOG_ERROR, "%s: expected an integer in %lld..%lld, got '%s'", name, (long long)lo,
                (long long)hi, arg ? arg : "");
        return NSP_EINVAL;
    }
    *out = v;
    return 0;
}

int nsp_parse_uint64(const char *name, const char *arg, uint64_t *out) {
    char *end = NULL;
    errno = 0;
    bool digits = arg && isdigit((unsigned char)arg[0]);
    unsigned long long v = digits ? strtoull(arg, &end, 10) : 0;
    if (!digits || *end != '\0' || errno == ERANGE) {
        nsp_log(NSP_LOG_ERROR, "%s: expected an integer in 0..18446744073709551615, got '%s'", name,
                arg ? arg : "");
        return NSP_EINVAL;
    }
    *out = v;
    return 0;
}

int nsp_parse_double(const char *name, const char *arg, double lo, double hi, double *out) {
    char *end = NULL;
    errno = 0;
    double v = starts_number(arg) ? strtod(arg, &end) : NAN;
    if (!starts_number(arg) || *end != '\0' || errno == ERANGE || !(v >= lo && v <= hi)) {
        nsp_log(NSP_LOG_ERROR, "%s: expected a number in %g..%g, got '%s'", name, lo, hi, arg ? arg : "");
        return NSP_EINVAL;
    }
    *out = v;
    return 0;
}

int nsp_scenario_option(nsp_scenario_desc_t *d, int opt, const char *arg) {
    int64_t v = 0;
    int err = 0;
    switch (opt) {
    case NSP_OPT_FRAMES:
        err = nsp_parse_int64("--frames", arg, 1, NSP_FRAMES_MAX, &d->frames);
        break;
    case NSP_OPT_PLAYBACK_FRAMES:
        err = nsp_parse_int64("--playback-frames", arg, 1, NSP_FRAMES_MAX, &d->playback_frames);
        break;
    case NSP_OPT_GRID_SIZE:
        err = nsp_parse_int64("--grid-size", arg, NSP_GRID_MIN, NSP_GRID_MAX, &v);
        d->grid_size = (int)v;
        break;
    case NSP_OPT_SEED:
        err = nsp_parse_uint64("--seed", arg, &d->seed);
        break;
    case NSP_OPT_SAMPLE_RATE:
        err = nsp_parse_double("--sample-rate", arg, 1e-3, NSP_RATE_MAX_HZ, &d->sample_rate_hz);
        break;
    case NSP_OPT_BODYPARTS:
        err = nsp_parse_int64("--n-bodyparts", arg, 2, NSP_BODYPARTS_MAX, &v);
        d->bodyparts = (int)v;
        break;
    case NSP_OPT_TRAIL:
        err = nsp_parse_int64("--trail", arg, 1, NSP_TRAIL_MAX, &v);
        d->trail_frames = (int)v;
        break;
    case NSP_OPT_POSITION:
    case NSP_OPT_BODYPARTS_OVERLAY:
    case NSP_OPT_HEAD_DIRECTION:
    case NSP_OPT_EVENTS:
    case NSP_OPT_TIMESERIES:
    case NSP_OPT_VIDEO:
        d->overlays |= 1u << (opt - NSP_OPT_POSITION);
        break;
    case NSP_OPT_ALL_OVERLAYS:
        d->overlays |= NSP_OVERLAY_ALL;
        break;
    default:
        return 0;
    }
    return err ? err : 1;
}

int nsp_parse_field_px(const char *name, const char *arg, int *out) {
    int64_t v;
    int err = nsp_parse_int64(name, arg, 16, 8192, &v);
    if (err == 0) {
        *out = (int)v;
    }
    return err;
}

static int options_concat(struct option *out, int cap, const struct option *own, bool timed) {
    int n = 0;
    for (const struct option *o = own; o->name; o++) {
        if (n < cap - 1) {
            out[n++] = *o;
        }
    }
    for (const struct option *o = nsp_scenario_long_options; o->name; o++) {
        if (n < cap - 1 && (timed || o->val != NSP_OPT_PLAYBACK_FRAMES)) {
            out[n++] = *o;
        }
    }
    out[n] = (struct option){NULL, 0, NULL, 0};
    return n;
}

int nsp_options_concat(struct option *out, int cap, const struct option *own) {
    return options_concat(out, cap, own, true);
}

int nsp_options_concat_untimed(struct option *out, int cap, const struct option *own) {
    return options_concat(out, cap, own, false);
}

enum { OPT_FIELD_WIDTH = 900, OPT_FIELD_HEIGHT };

// --width and --height, then --help: the commands that do not draw the field
// take only the last.
static const struct option field_options[] = {
    {"width", required_argument, NULL, OPT_FIELD_WIDTH},
    {"height", required_argument, NULL, OPT_FIELD_HEIGHT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool is_own_option(const struct option *own, int opt) {
    for (const struct option *o = own; o && o->name; o++) {
        if (o->val == opt) {
            return true;
        }
    }
    return false;
}

int nsp_untimed_options_parse(const nsp_untimed_command_t *cmd, int argc, char **argv, nsp_scenario_desc_t *desc,
                              int *field_w, int *field_h) {
    // The command's own options first, then the field's, then the scenario's.
    struct option own[32], all[64];
    int n = 0;
    for (const struct option *o = cmd->own; o && o->name && n < 28; o++) {
        own[n++] = *o;
    }
    for (const struct option *o = field_w ? field_options : &field_options[2]; o->name; o++) {
        own[n++] = *o;
    }
    own[n] = (struct option){NULL, 0, NULL, 0};
    nsp_options_concat_untimed(all, 64, own);
    nsp_scenario_desc_default(desc);
    desc->overlays = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", all, NULL)) != -1) {
        int err = 0;
        switch (opt) {
        case 'h': cmd->help(stdout); return 1;
        case OPT_FIELD_WIDTH: err = nsp_parse_field_px("--width", optarg, field_w); break;
        case OPT_FIELD_HEIGHT: err = nsp_parse_field_px("--height", optarg, field_h); break;
        default:
            if (is_own_option(cmd->own, opt)) {
                err = cmd->own_option(cmd->user, opt, optarg);
            } else {
                err = nsp_scenario_option_or_usage(desc, opt, optarg, cmd->name);
            }
        }
        if (err) {
            return NSP_EXIT_USAGE;
        }
    }
    return 0;
}

int nsp_scenario_option_or_usage(nsp_scenario_desc_t *desc, int opt, const char *arg, const char *command) {
    int handled = nsp_scenario_option(desc, opt, arg);
    if (handled == 0) {
        fprintf(stderr, "Try 'nsplay %s --help'.\n", command);
    }
    return handled > 0 ? 0 : NSP_EXIT_USAGE;
}

// The notice about the overlay default comes only once the whole command
// line is known to be valid, so that it never precedes a usage error.
static int options_end(int argc, char **argv, nsp_scenario_desc_t *d, bool timed) {
    if (optind < argc) {
        nsp_log(NSP_LOG_ERROR, "unexpected argument '%s'", argv[optind]);
        return NSP_EXIT_USAGE;
    }
    if (!timed) {
        // Nothing is timed: the default of 100 timed frames must not raise the
        // clamp notice of a short scenario.
        d->playback_frames = d->frames;
    }
    bool defaulted = d->overlays == 0;
    if (defaulted) {
        d->overlays = NSP_OVERLAY_POSITION;
    }
    if (nsp_scenario_validate(d) != 0) {
        return NSP_EXIT_USAGE;
    }
    if (defaulted) {
        nsp_log(NSP_LOG_INFO, "no overlay flag given: position only (see --help for the others)");
    }
    return 0;
}

int nsp_scenario_options_end(int argc, char **argv, nsp_scenario_desc_t *desc) {
    return options_end(argc, argv, desc, true);
}

int nsp_scenario_options_end_untimed(int argc, char **argv, nsp_scenario_desc_t *desc) {
    return options_end(argc, argv, desc, false);
}

// Exact long options. glibc's getopt_long takes any unambiguous prefix of a
// long option (--pos for --position), which then works by accident until a
// new option makes it ambiguous. Every getopt_long call of nsplay is
// redirected here at link time (-Wl,--wrap=getopt_long, src/CMakeLists.txt),
// so each command refuses abbreviations without code of its own.
int __real_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
                       int *longindex);
int __wrap_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
                       int *longindex);

static const struct option *exact_long_option(const struct option *longopts, const char *name, size_t len) {
    for (const struct option *o = longopts; o->name; o++) {
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) {
            return o;
        }
    }
    return NULL;
}

// Looks at every option of argv before getopt_long does: an abbreviated long
// option is refused, naming the options it abbreviates. Unknown options are
// left to getopt_long's own message. Returns 0 or -1 (message logged).
static int refuse_abbreviations(int argc, char *const argv[], const char *shortopts,
                                const struct option *longopts) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            break;
        }
        if (a[0] != '-' || a[1] == '\0') {
            continue;
        }
        if (a[1] != '-') {
            // A cluster of short options: the one taking an argument ends it,
            // and takes the next word when nothing follows it.
            for (const char *c = a + 1; *c; c++) {
                const char *s = *c == ':' ? NULL : strchr(shortopts, *c);
                if (s && s[1] == ':') {
                    i += (c[1] == '\0' && s[2] != ':') ? 1 : 0;
                    break;
                }
            }
            continue;
        }
        const char *name = a + 2;
        size_t len = strcspn(name, "=");
        const struct option *o = exact_long_option(longopts, name, len);
        if (o) {
            i += (o->has_arg == required_argument && name[len] == '\0') ? 1 : 0;
            continue;
        }
        char candidates[256] = "";
        size_t used = 0;
        for (const struct option *p = longopts; p->name; p++) {
            if (strncmp(p->name, name, len) == 0 && used < sizeof candidates) {
                int w = snprintf(candidates + used, sizeof candidates - used, "%s--%s", used ? ", " : "", p->name);
                used += w > 0 ? (size_t)w : 0;
            }
        }
        if (used > 0) {
            nsp_log(NSP_LOG_ERROR, "unrecognized option '--%.*s': long options are not abbreviated (did you mean %s?)",
                    (int)len, name, candidates);
            return -1;
        }
    }
    return 0;
}

int __wrap_getopt_long(int argc, char *const argv[], const char *shortopts, const struct option *longopts,
                       int *longindex) {
    static char *const *checked;
    if (optind <= 1 || argv != checked) {
        checked = argv;
        if (refuse_abbreviations(argc, argv, shortopts, longopts) != 0) {
            // Callers stop at '?'; one that went on would find nothing left.
            optind = argc;
            return '?';
        }
    }
    return __real_getopt_long(argc, argv, shortopts, longopts, longindex);
}
