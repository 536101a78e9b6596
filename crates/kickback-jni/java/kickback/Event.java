package kickback;

/**
 * Something the analyzer found; {@link Analyzer#poll()} returns them in time
 * order. Use {@code instanceof} on the kinds below; kinds may be added in
 * later versions, so keep a default branch.
 */
public abstract class Event {
    /** The event's time, s from the first sample (NaN for a warning with no time). */
    public final double tS;

    Event(double tS) {
        this.tS = tS;
    }

    /**
     * A rep is under way: the leg started to rise at {@link #tS}. Exactly one
     * {@link RepCompleted} (whose {@link Rep#id} is {@link #id}) or
     * {@link RepDiscarded} with the same {@code id} follows.
     */
    public static final class RepStarted extends Event {
        /** Unique within the analyzer, increasing from 1. */
        public final long id;

        RepStarted(double[] n) {
            super(n[0]);
            id = (long) n[1];
        }
    }

    /**
     * A rise announced by {@link RepStarted} turned out not to be a rep
     * (e.g. a walking step); {@link #tS} is when it was dropped.
     */
    public static final class RepDiscarded extends Event {
        /** The {@code id} of its {@link RepStarted}. */
        public final long id;
        /** Why it was not a rep. */
        public final DiscardReason reason;

        RepDiscarded(double[] n, String[] text) {
            super(n[0]);
            id = (long) n[1];
            reason = DiscardReason.fromEngineName(text[0]);
        }
    }

    /** A rep is over: here it is, measured, with its faults; {@link #tS} is its end. */
    public static final class RepCompleted extends Event {
        /** The rep ({@link Rep#id} is the id of its {@link RepStarted}). */
        public final Rep rep;

        RepCompleted(double[] n) {
            super(n[0]);
            rep = new Rep(n);
        }
    }

    /** A set is over (a rest followed its last rep, or the stream ended). */
    public static final class SetCompleted extends Event {
        /** 1-based set number. */
        public final int index;
        /** Reps in the set. */
        public final int repCount;
        /** Start of the set's first rep, s. */
        public final double startS;
        /** End of the set's last rep, s. */
        public final double endS;
        /** Median range of the set's reps, degrees. */
        public final double medianRangeDeg;

        SetCompleted(double[] n) {
            super(n[0]);
            index = (int) n[1];
            repCount = (int) n[2];
            startS = n[3];
            endS = n[4];
            medianRangeDeg = n[5];
        }
    }

    /** Something worth knowing about the input. */
    public static final class Warning extends Event {
        /** The stable kind name, e.g. {@code "gap"} (see the README for the list). */
        public final String kind;
        /** What happened and what it means, for people. */
        public final String message;

        Warning(double[] n, String[] text) {
            super(n[0]);
            kind = text[0];
            message = text[1];
        }
    }

    /**
     * A walk is over: steps one after another were recognised, none of them
     * a rep (each step's rise was a {@link RepDiscarded} with
     * {@link DiscardReason#GAIT}). Reported a few seconds after its last
     * step, or at {@link Analyzer#finish()}; {@link #tS} is its end.
     */
    public static final class Walking extends Event {
        /** Start of the first step, s from the first sample. */
        public final double startS;
        /** End of the last step, s from the first sample. */
        public final double endS;
        /** Steps of the instrumented leg recognised (strides of that leg). */
        public final int steps;

        Walking(double[] n) {
            super(n[0]);
            startS = n[1];
            endS = n[2];
            steps = (int) n[3];
        }
    }

    /** The stream has ended (after {@link Analyzer#finish()}): whole-stream figures. */
    public static final class Finished extends Event {
        /** Input sample rate, Hz: the inverse of the mean interval between samples, gaps left out. */
        public final double sampleRateHz;
        /** Time from the first to the last sample, s. */
        public final double durationS;
        /** Samples accepted. */
        public final long samples;
        /** Whether a gyroscope was used. */
        public final boolean gyroscope;

        Finished(double[] n) {
            super(n[0]);
            sampleRateHz = n[1];
            durationS = n[2];
            samples = (long) n[3];
            gyroscope = n[4] != 0;
        }
    }

    /** The event the native library described, or null for a kind this class does not know. */
    static Event fromNative(int kind, double[] n, String[] text) {
        switch (kind) {
            case 1: return new RepStarted(n);
            case 2: return new RepCompleted(n);
            case 3: return new SetCompleted(n);
            case 4: return new Warning(n, text);
            case 5: return new Finished(n);
            case 6: return new RepDiscarded(n, text);
            case 7: return new Walking(n);
            default: return null;
        }
    }
}
