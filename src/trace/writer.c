#include "writer.h"

#include <inttypes.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"

// Writes s as a JSON string, quotes included.
static void write_json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fprintf(f, "\\u%04x", c);
            } else {
                fputc(c, f);
            }
        }
    }
    fputc('"', f);
}

// Nanoseconds as microseconds with exactly three decimals: exact, no
// floating-point rounding, so nesting survives the round trip.
static void write_us(FILE *f, uint64_t ns) {
    fprintf(f, "%" PRIu64 ".%03u", ns / 1000u, (unsigned)(ns % 1000u));
}

// A track's tid: the main thread's is the pid; each other track has its own.
static long track_tid(char track, long pid) {
    if (track == NSP_TRACE_TRACK_GPU) {
        return pid + 1;
    }
    if (track == NSP_TRACE_TRACK_REFERENCE) {
        return pid + 2;
    }
    return pid;
}

// Metadata as Chrome itself writes it (category "__metadata", ts 0): the
// name of the process or of one thread, on the pid and tid its events use.
static void write_name(FILE *f, const char *what, long pid, long tid, const char *name) {
    fprintf(f, "{\"name\":\"%s\",\"cat\":\"__metadata\",\"ph\":\"M\",\"ts\":0,\"pid\":%ld,\"tid\":%ld,"
               "\"args\":{\"name\":", what, pid, tid);
    write_json_string(f, name);
    fputs("}}", f);
}

int nsp_trace_write(FILE *f, const nsp_trace_data_t *data, long pid) {
    fprintf(f, "{\"traceEvents\":[\n");
    write_name(f, "process_name", pid, pid, "nsplay");
    fputs(",\n", f);
    write_name(f, "thread_name", pid, pid, "main");
    if (data->gpu_used) {
        fputs(",\n", f);
        write_name(f, "thread_name", pid, track_tid(NSP_TRACE_TRACK_GPU, pid), "gpu");
    }
    if (data->reference_used) {
        fputs(",\n", f);
        write_name(f, "thread_name", pid, track_tid(NSP_TRACE_TRACK_REFERENCE, pid), "reference");
    }
    for (size_t i = 0; i < data->count; i++) {
        const nsp_trace_record_t *e = &data->events[i];
        fputs(",\n{\"name\":", f);
        write_json_string(f, nsp_zone_name(e->zone_id));
        fputs(",\"cat\":", f);
        write_json_string(f, nsp_zone_category(e->zone_id));
        fprintf(f, ",\"ph\":\"%c\",\"ts\":", e->ph);
        write_us(f, e->ts_ns);
        if (e->ph == 'X') {
            fputs(",\"dur\":", f);
            write_us(f, e->dur_ns);
        } else {
            fprintf(f, ",\"s\":\"%c\"", e->scope);
        }
        fprintf(f, ",\"pid\":%ld,\"tid\":%ld", pid, e->ph == 'X' ? track_tid(e->scope, pid) : pid);
        if (e->ph == 'i' && e->arg_key) {
            fputs(",\"args\":{", f);
            write_json_string(f, e->arg_key);
            fprintf(f, ":%" PRId64 "}", (int64_t)e->dur_ns);
        }
        fputc('}', f);
    }
    fprintf(f, "\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"producer\":\"nsplay\","
               "\"clock\":\"CLOCK_MONOTONIC\",\"trace_start_ns\":%" PRIu64 ",\"events\":%zu,"
               "\"capacity\":%zu,\"dropped_events\":%zu,\"left_out_zones\":%zu,"
               "\"trace_event_loop\":%s,\"callable_filter\":%s}}\n",
            data->t0_ns, data->count, data->capacity, data->dropped, data->left_out,
            data->trace_event_loop ? "true" : "false", data->filter ? "true" : "false");
    return ferror(f) ? NSP_EIO : 0;
}

int nsp_trace_write_file(const nsp_trace_data_t *data, void *user) {
    (void)user;
    nsp_atomic_file_t a;
    int err = nsp_atomic_open(&a, data->path, "trace");
    if (err) {
        return err;
    }
    // A write error shows again, with the path, when the file is committed.
    nsp_trace_write(a.f, data, (long)getpid());
    return nsp_atomic_commit(&a);
}

void nsp_trace_writer_install(void) {
    nsp_timing_set_trace_sink(nsp_trace_write_file, NULL);
}
