package kickback;

import java.util.Locale;

/**
 * Why a rise announced by {@link Event.RepStarted} was not a rep
 * ({@link Event.RepDiscarded#reason}). Reasons may be added in later
 * versions; one this class does not know is {@link #OTHER}.
 */
public enum DiscardReason {
    /** A reason this version of the Java API does not name (a newer library). */
    OTHER,
    /** A step of walking, not a kick. After the rep's {@link Event.RepCompleted} it takes the rep back: the leg went straight on from it into a step (the first strides of a walk). */
    GAIT,
    /** Back down sooner than {@code reps.min_duration_s}. */
    TOO_SHORT,
    /** It did not rise far enough above the rest pose (a fidget). */
    TOO_SMALL,
    /** Not back down within {@code reps.max_duration_s}. */
    TOO_LONG,
    /** The leg came to rest at a new pose: a change of pose, not a rep. */
    NEW_POSE,
    /** The kick turned out to go the other way; the recent past is read again (its reps come with new ids). */
    SIGN_FLIPPED,
    /** A gap in the samples longer than {@code input.gap_split_s} restarted the analysis. */
    GAP,
    /** The stream ended ({@link Analyzer#finish()}) while the leg was still up. */
    STREAM_ENDED,
    /** It rose from a pose away from the rest pose, long after the leg was last there, or swung through or past it (walking or pedalling). */
    AWAY_FROM_REST,
    /** It turned faster than a leg turns (over 1000 deg/s; a thrown kick peaks at 300-600 deg/s): a spinning or jumping reading. */
    TOO_FAST,
    /** A rep with no rep like it near (its set held no three reps alike in range and duration; a set of one or two among them): a fidget. Follows the rep's {@link Event.RepCompleted} and takes the rep back; the next rep gets its number and set number. */
    LONE,
    /** Only the gyroscope read it: the accelerometer never saw gravity turn with it (by under a third of its range). The gyroscope's own noise or drift, not a movement of the leg. */
    GYRO_ONLY;

    /** The engine's name of the reason, e.g. {@code "too_short"}. */
    public String engineName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason named {@code name} by the engine, or {@link #OTHER}. */
    static DiscardReason fromEngineName(String name) {
        for (DiscardReason r : values()) {
            if (r != OTHER && r.engineName().equals(name)) {
                return r;
            }
        }
        return OTHER;
    }
}
