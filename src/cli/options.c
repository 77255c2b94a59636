#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

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

void nsp_scenario_options_help(FILE *out) {
    fprintf(out,
            "Scenario (requirements §R1; every value comes from --seed through PCG32):\n"
            "  --frames N            animation frames, 1..%d (default 500)\n"
            "  --playback-frames N   frames stepped through for timing (default 100;\n"
            "                        above --frames it is clamped, with a notice)\n"
            "  --grid-size N         environment grid size, %d..%d (default 50)\n"
            "  --seed N              random seed, 0..2^64-1 (default 42)\n"
            "  --sample-rate HZ      frames (and LFP samples) per second (default 30)\n"
            "  --n-bodyparts N       keypoints of the skeleton, 2..%d (default 5)\n"
            "  --trail N             position trail length in frames, 1..%d (default 15)\n"
            "Overlays (with none given: position only, and it says so):\n"
            "  --position --bodyparts --head-direction --events --timeseries --video\n"
            "  --all-overlays        all six\n",
            NSP_FRAMES_MAX, NSP_GRID_MIN, NSP_GRID_MAX, NSP_BODYPARTS_MAX, NSP_TRAIL_MAX);
}

int nsp_parse_int64(const char *name, const char *arg, int64_t lo, int64_t hi, int64_t *out) {
    char *end = NULL;
    errno = 0;
    long long v = arg ? strtoll(arg, &end, 10) : 0;
    if (!arg || *arg == '\0' || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
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
    unsigned long long v = (arg && *arg != '-') ? strtoull(arg, &end, 10) : 0;
    if (!arg || *arg == '\0' || *arg == '-' || *end != '\0' || errno == ERANGE) {
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
    double v = arg ? strtod(arg, &end) : NAN;
    if (!arg || *arg == '\0' || *end != '\0' || errno == ERANGE || !(v >= lo && v <= hi)) {
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

void nsp_scenario_options_finish(nsp_scenario_desc_t *d) {
    if (d->overlays == 0) {
        d->overlays = NSP_OVERLAY_POSITION;
        nsp_log(NSP_LOG_INFO, "no overlay flag given: position only (see --help for the others)");
    }
}

int nsp_parse_field_px(const char *name, const char *arg, int *out) {
    int64_t v;
    int err = nsp_parse_int64(name, arg, 16, 8192, &v);
    if (err == 0) {
        *out = (int)v;
    }
    return err;
}

int nsp_options_concat(struct option *out, int cap, const struct option *own) {
    int n = 0;
    for (const struct option *o = own; o->name; o++) {
        if (n < cap - 1) {
            out[n++] = *o;
        }
    }
    for (const struct option *o = nsp_scenario_long_options; o->name; o++) {
        if (n < cap - 1) {
            out[n++] = *o;
        }
    }
    out[n] = (struct option){NULL, 0, NULL, 0};
    return n;
}

int nsp_scenario_option_or_usage(nsp_scenario_desc_t *desc, int opt, const char *arg, const char *command) {
    int handled = nsp_scenario_option(desc, opt, arg);
    if (handled == 0) {
        fprintf(stderr, "Try 'nsplay %s --help'.\n", command);
    }
    return handled > 0 ? 0 : NSP_EXIT_USAGE;
}

int nsp_scenario_options_end(int argc, char **argv, nsp_scenario_desc_t *desc) {
    if (optind < argc) {
        nsp_log(NSP_LOG_ERROR, "unexpected argument '%s'", argv[optind]);
        return NSP_EXIT_USAGE;
    }
    nsp_scenario_options_finish(desc);
    return nsp_scenario_validate(desc) == 0 ? 0 : NSP_EXIT_USAGE;
}
