import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import kickback.Analyzer;
import kickback.DiscardReason;
import kickback.Event;
import kickback.Rep;
import kickback.Settings;

/**
 * Driven by crates/kickback-jni/tests/java.rs: streams a generic CSV
 * (time_s,ax,ay,az,gx,gy,gz) through the Java API, alternating single pushes
 * and batches, and prints one line per rep, per started rise, per
 * discarded rise and per walk for the Rust test to compare with the engine;
 * checks that
 * every started rise ends exactly once, as a rep or as a discard with its id;
 * then checks the API's errors. Exit status 0 only if every check passed.
 */
public final class KickbackTest {
    private static int failures = 0;

    private static void check(boolean ok, String what) {
        if (!ok) {
            failures++;
            System.out.println("FAILED: " + what);
        }
    }

    public static void main(String[] args) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new FileReader(args[0]))) {
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(",");
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = Double.parseDouble(f[i].trim());
                }
                rows.add(v);
            }
        }
        System.out.println("library " + Analyzer.version() + ", " + rows.size() + " samples");

        try (Analyzer a = new Analyzer(new Settings())) {
            int i = 0;
            int batch = 1;
            while (i < rows.size()) {
                int n = Math.min(batch, rows.size() - i);
                if (n == 1) {
                    double[] v = rows.get(i);
                    check(a.push(v[0], new double[] {v[1], v[2], v[3]},
                            new double[] {v[4], v[5], v[6]}), "push row " + i);
                } else {
                    double[] t = new double[n];
                    double[] acc = new double[3 * n];
                    double[] gyro = new double[3 * n];
                    for (int k = 0; k < n; k++) {
                        double[] v = rows.get(i + k);
                        t[k] = v[0];
                        System.arraycopy(v, 1, acc, 3 * k, 3);
                        System.arraycopy(v, 4, gyro, 3 * k, 3);
                    }
                    check(a.pushMany(t, acc, gyro) == 0, "pushMany at row " + i);
                }
                i += n;
                batch = batch % 97 + 1;
                drain(a);
            }
            a.finish();
            drain(a);
        }
        check(open.isEmpty(), "started but never completed or discarded: " + open);
        check(started == reps + takenBack + discarded, "every start ended once: " + started
                + " started, " + reps + " reps, " + takenBack + " taken back, " + discarded
                + " discarded");
        check(reps == repLines.size(), "reps counted as listed");
        for (String l : repLines.values()) {
            System.out.println(l);
        }
        check(finished != null && finished.samples == rows.size() && finished.gyroscope,
                "finished: every sample, with a gyroscope");
        System.out.println(String.format(Locale.ROOT,
                "finished reps %d sets %d warnings %d samples %d duration %.6f", reps, sets,
                warnings, finished == null ? -1 : finished.samples,
                finished == null ? -1.0 : finished.durationS));
        System.out.println("rises " + started + " reps " + reps + " discarded " + discarded);
        checkErrors();
        System.out.println(failures == 0 ? "java checks ok" : failures + " java checks FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int reps = 0;
    private static int sets = 0;
    private static int warnings = 0;
    private static int started = 0;
    private static int discarded = 0;
    /** Completed reps a later discard (LONE, or GAIT: it went on into a step) took back. */
    private static int takenBack = 0;
    /** The line of each rep completed and not taken back, by id, in order. */
    private static final Map<Long, String> repLines = new LinkedHashMap<>();
    private static int gaitDiscarded = 0;
    private static int walkSteps = 0;
    private static long lastId = 0;
    /** Ids started and not yet completed or discarded. */
    private static final Set<Long> open = new LinkedHashSet<>();
    private static Event.Finished finished = null;

    /** Polls every queued event, printing reps, starts, discards and walks and counting the rest. */
    private static void drain(Analyzer a) {
        for (Event e = a.poll(); e != null; e = a.poll()) {
            if (e instanceof Event.RepStarted) {
                started++;
                long id = ((Event.RepStarted) e).id;
                check(id > lastId, "rep ids increase: " + id + " after " + lastId);
                lastId = id;
                check(open.add(id), "rep " + id + " started twice");
                System.out.println(String.format(Locale.ROOT, "start %d t %.9f", id, e.tS));
            } else if (e instanceof Event.RepDiscarded) {
                discarded++;
                Event.RepDiscarded d = (Event.RepDiscarded) e;
                if (!open.contains(d.id)) {
                    // A completed rep taken back: a set of one, or a rep the leg went
                    // straight on from into a step.
                    check(d.reason == DiscardReason.LONE || d.reason == DiscardReason.GAIT,
                            "taken back for " + d.reason);
                    check(repLines.remove(d.id) != null, "taken back " + d.id + " was not a rep");
                    reps--;
                    discarded--;
                    takenBack++;
                } else {
                    check(open.remove(d.id), "discarded " + d.id + " was not open");
                }
                check(d.reason != DiscardReason.OTHER, "a reason the Java API names");
                if (d.reason == DiscardReason.GAIT) {
                    gaitDiscarded++;
                }
                System.out.println(String.format(Locale.ROOT, "discard %d t %.9f reason %s", d.id,
                        d.tS, d.reason.engineName()));
            } else if (e instanceof Event.RepCompleted) {
                reps++;
                Rep r = ((Event.RepCompleted) e).rep;
                check(open.remove(r.id), "completed " + r.id + " was not open");
                repLines.put(r.id, line(r));
            } else if (e instanceof Event.SetCompleted) {
                sets++;
                check(((Event.SetCompleted) e).index == sets, "set numbers count up");
            } else if (e instanceof Event.Warning) {
                warnings++;
                Event.Warning w = (Event.Warning) e;
                check(!w.kind.isEmpty() && !w.message.isEmpty(), "warning text");
            } else if (e instanceof Event.Walking) {
                Event.Walking w = (Event.Walking) e;
                check(w.tS == w.endS && w.startS < w.endS && w.steps >= 2,
                        "a walk ends at its time, after its start, with 2 steps or more");
                walkSteps += w.steps;
                check(walkSteps <= gaitDiscarded, "a walk's steps came before it as gait discards: "
                        + walkSteps + " steps, " + gaitDiscarded + " gait discards");
                System.out.println(String.format(Locale.ROOT, "walk start %.9f end %.9f steps %d",
                        w.startS, w.endS, w.steps));
            } else if (e instanceof Event.Finished) {
                finished = (Event.Finished) e;
            }
        }
    }

    private static String line(Rep r) {
        return String.format(Locale.ROOT,
                "rep %d set %d start %.9f peak %.9f end %.9f range %.3f faults %d id %d", r.index,
                r.set, r.startS, r.peakS, r.endS, r.rangeDeg, r.faults, r.id);
    }

    private static void checkErrors() {
        // Bad settings: an exception naming the key.
        for (Settings s : new Settings[] {
                new Settings().set("lumbar.torso_hinge", 40),
                new Settings().set("sets.rest_s", -3),
                new Settings().torsoHingeDeg(Double.NaN)}) {
            try {
                new Analyzer(s).close();
                check(false, "settings accepted: " + s.toToml());
            } catch (IllegalArgumentException e) {
                check(e.getMessage().contains("torso_hinge") || e.getMessage().contains("rest_s"),
                        "message names the key: " + e.getMessage());
            }
        }
        try {
            new Settings().set("no dot", 1);
            check(false, "a key without a section was accepted");
        } catch (IllegalArgumentException e) {
            // expected
        }
        // Custom settings reach the engine.
        try (Analyzer a = new Analyzer(new Settings().torsoHingeDeg(30).set("partial.min_reference_reps", 5))) {
            check(a.poll() == null, "nothing queued before any sample");
        }
        Analyzer a = new Analyzer();
        // A NaN sample is dropped, not an error; the analyzer goes on.
        check(!a.push(0.0, new double[] {Double.NaN, 0, 9.81}, null), "NaN sample dropped");
        check(a.push(0.01, new double[] {0, 0, 9.81}, null), "finite sample accepted");
        check(a.pushMany(new double[] {0.02, Double.POSITIVE_INFINITY},
                new double[] {0, 0, 9.81, 0, 0, 9.81}, null) == 1, "pushMany counts dropped samples");
        try {
            a.push(0.03, new double[] {0, 9.81}, null);
            check(false, "a 2-value acc was accepted");
        } catch (IllegalArgumentException e) {
            check(e.getMessage().contains("acc"), e.getMessage());
        }
        try {
            a.pushMany(new double[] {0.04, 0.05}, new double[] {0, 0, 9.81}, null);
            check(false, "a short accXyz was accepted");
        } catch (IllegalArgumentException e) {
            check(e.getMessage().contains("accXyz"), e.getMessage());
        }
        a.finish();
        Event last = null;
        for (Event e = a.poll(); e != null; e = a.poll()) {
            last = e;
        }
        check(last instanceof Event.Finished && ((Event.Finished) last).samples == 2,
                "two samples reached the engine");
        a.close();
        a.close(); // idempotent
        try {
            a.poll();
            check(false, "poll after close");
        } catch (IllegalStateException e) {
            // expected
        }
    }
}
