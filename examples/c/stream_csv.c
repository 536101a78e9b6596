/*
 * stream_csv: streams a CSV recording through the kickback C library, the way
 * an app streams its sensor, and prints each rep as soon as it is reported.
 *
 *   stream_csv FILE.csv [TORSO_HINGE_DEG [HIP_EXTENSION_LIMIT_DEG]]
 *
 * FILE.csv is the generic layout with a header line:
 *   time_s,ax,ay,az[,gx,gy,gz]
 * time in seconds, specific force in m/s^2 with gravity, angular rate in rad/s.
 *
 * Output (times in s from the first sample), as the events come: a line when
 * a rise starts, which ends either as a rep or as a discarded rise (same id):
 *   start <id> t <s>
 *   rep <index> set <set> start <s> peak <s> end <s> range <deg> faults <flags> id <id>
 *   discard <id> t <s> reason <gait|too_short|too_small|too_long|new_pose|sign_flipped|gap|stream_ended|away_from_rest>
 * a line when a walk is over (its steps were discarded as gait, none is a rep):
 *   walk start <s> end <s> steps <n>
 * (range in deg, faults a bitwise OR of KB_FAULT_MOMENTUM=1, KB_FAULT_LUMBAR=2,
 * KB_FAULT_PARTIAL=4), one line per set and a summary:
 *   set <index> reps <n> start <s> end <s>
 *   finished reps <n> samples <n> duration <s>
 * and, for each rep that is flagged for momentum, why:
 *   momentum <index> fast_concentric high_velocity no_hold windup fast_drop (those found)
 * Warnings go to stderr. Exit status: 0 ok, 1 usage or I/O error, 2 library
 * error (including a library that does not match this header).
 *
 * Build (from the repository root, after `cargo build -p kickback-ffi`),
 * statically:
 *   cc -O2 -I crates/kickback-ffi/include examples/c/stream_csv.c \
 *      target/debug/libkickback_ffi.a -lpthread -ldl -lm -o stream_csv
 * or against the shared library (on Linux its SONAME is
 * libkickback_ffi.so.0.1, so install or link it under that name too):
 *   cc -O2 -I crates/kickback-ffi/include examples/c/stream_csv.c \
 *      -L target/debug -lkickback_ffi -o stream_csv
 */
#include "kickback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 256

static unsigned long g_reps = 0;

static void print_momentum(const KbEvent *ev) {
    static const struct {
        uint32_t flag;
        const char *name;
    } evidence[] = {
        {KB_EVIDENCE_FAST_CONCENTRIC, "fast_concentric"},
        {KB_EVIDENCE_HIGH_PEAK_VELOCITY, "high_velocity"},
        {KB_EVIDENCE_NO_HOLD, "no_hold"},
        {KB_EVIDENCE_WINDUP, "windup"},
        {KB_EVIDENCE_FAST_DROP, "fast_drop"},
    };
    printf("momentum %u", ev->rep.index);
    for (size_t i = 0; i < sizeof evidence / sizeof evidence[0]; i++) {
        if (ev->momentum_evidence & evidence[i].flag) {
            printf(" %s", evidence[i].name);
        }
    }
    printf("\n");
}

static void print_events(KbAnalyzer *a) {
    /* struct_size first: the library writes no more than this many bytes. */
    KbEvent ev = {.struct_size = sizeof(KbEvent)};
    KbStatus st;
    while ((st = kb_analyzer_poll(a, &ev)) == KB_OK) {
        switch (ev.kind) {
        case KB_EVENT_REP_STARTED: /* a live app would show "rep under way" */
            printf("start %llu t %.9f\n", (unsigned long long)ev.rep_id, ev.t_s);
            break;
        case KB_EVENT_REP_DISCARDED: /* ... and take it back */
            printf("discard %llu t %.9f reason %s\n", (unsigned long long)ev.rep_id, ev.t_s,
                   kb_discard_reason_name(ev.discard_reason));
            break;
        case KB_EVENT_REP_COMPLETED:
            g_reps++;
            printf("rep %u set %u start %.9f peak %.9f end %.9f range %.3f faults %u id %llu\n",
                   ev.rep.index, ev.rep.set, ev.rep.start_s, ev.rep.peak_s, ev.rep.end_s,
                   ev.rep.range_deg, ev.rep.faults, (unsigned long long)ev.rep_id);
            if (ev.rep.faults & KB_FAULT_MOMENTUM) {
                print_momentum(&ev);
            }
            break;
        case KB_EVENT_WALKING: /* a live app would say "walking, not counted" */
            printf("walk start %.9f end %.9f steps %u\n", ev.walk.start_s, ev.walk.end_s,
                   ev.walk.steps);
            break;
        case KB_EVENT_SET_COMPLETED:
            printf("set %u reps %u start %.9f end %.9f\n", ev.set.index, ev.set.rep_count,
                   ev.set.start_s, ev.set.end_s);
            break;
        case KB_EVENT_WARNING:
            fprintf(stderr, "warning [%s] %s\n", ev.warning.kind, ev.warning.message);
            break;
        case KB_EVENT_FINISHED:
            printf("finished reps %lu samples %llu duration %.6f\n", g_reps,
                   (unsigned long long)ev.stats.samples, ev.stats.duration_s);
            break;
        default: /* a kind added after this header: ignore it */
            break;
        }
    }
    if (st != KB_NO_EVENT) {
        fprintf(stderr, "stream_csv: poll failed: %s\n", kb_status_message(st));
    }
}

/* Parses up to `max` comma-separated numbers from `line`; returns how many. */
static int parse_fields(char *line, double *out, int max) {
    int n = 0;
    char *p = line;
    while (n < max) {
        char *end;
        double v = strtod(p, &end);
        if (end == p) {
            break;
        }
        out[n++] = v;
        while (*end == ' ' || *end == '\t') {
            end++;
        }
        if (*end != ',') {
            break;
        }
        p = end + 1;
    }
    return n;
}

static KbStatus push_batch(KbAnalyzer *a, const double *t, const double *acc, const double *gyro,
                           size_t n) {
    KbStatus st = kb_analyzer_push_many(a, t, acc, gyro, n);
    if (st == KB_ERR_NOT_FINITE) { /* those samples were dropped; carry on */
        fprintf(stderr, "stream_csv: %s\n", kb_last_error_message());
        st = KB_OK;
    }
    return st;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s FILE.csv [TORSO_HINGE_DEG [HIP_EXTENSION_LIMIT_DEG]]\n"
                        "kickback library %s\n",
                argv[0], kb_version());
        return 1;
    }
    /* The library must serve the header this program was compiled with. */
    if (kb_check_version(KB_VERSION_MAJOR, KB_VERSION_MINOR, KB_VERSION_PATCH) != KB_OK) {
        fprintf(stderr, "stream_csv: %s\n", kb_last_error_message());
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }

    KbSettings settings = {.struct_size = sizeof(KbSettings)};
    kb_settings_default(&settings);
    if (argc > 2) {
        settings.torso_hinge_deg = atof(argv[2]);
    }
    if (argc > 3) {
        settings.hip_extension_limit_deg = atof(argv[3]);
    }
    KbAnalyzer *a = NULL;
    KbStatus st = kb_analyzer_new(&settings, &a);
    if (st != KB_OK) {
        fprintf(stderr, "stream_csv: %s: %s\n", kb_status_message(st), kb_last_error_message());
        fclose(f);
        return 2;
    }

    char line[1024];
    if (!fgets(line, sizeof line, f)) {
        fprintf(stderr, "stream_csv: %s is empty\n", argv[1]);
        kb_analyzer_free(a);
        fclose(f);
        return 1;
    }
    /* Columns from the header: 4 without a gyroscope, 7 with one. */
    int columns = 1;
    for (const char *c = line; *c; c++) {
        columns += *c == ',';
    }
    int has_gyro = columns >= 7;

    static double t[BATCH], acc[3 * BATCH], gyro[3 * BATCH];
    size_t n = 0;
    unsigned long lineno = 1;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        double v[7];
        int got = parse_fields(line, v, has_gyro ? 7 : 4);
        if (got < (has_gyro ? 7 : 4)) {
            fprintf(stderr, "stream_csv: line %lu: expected %d numbers, skipped\n", lineno,
                    has_gyro ? 7 : 4);
            continue;
        }
        t[n] = v[0];
        memcpy(&acc[3 * n], &v[1], 3 * sizeof(double));
        if (has_gyro) {
            memcpy(&gyro[3 * n], &v[4], 3 * sizeof(double));
        }
        if (++n == BATCH) {
            if ((st = push_batch(a, t, acc, has_gyro ? gyro : NULL, n)) != KB_OK) {
                break;
            }
            n = 0;
            print_events(a); /* reps appear while the stream goes on */
        }
    }
    if (st == KB_OK && n > 0) {
        st = push_batch(a, t, acc, has_gyro ? gyro : NULL, n);
    }
    if (st == KB_OK) {
        st = kb_analyzer_finish(a);
    }
    if (st == KB_OK) {
        print_events(a);
    } else {
        fprintf(stderr, "stream_csv: %s: %s\n", kb_status_message(st), kb_last_error_message());
        rc = 2;
    }
    if (ferror(f)) {
        perror(argv[1]);
        rc = 1;
    }
    kb_analyzer_free(a);
    fclose(f);
    return rc;
}
