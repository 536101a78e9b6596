package kickback;

/**
 * One rep, measured. Times are seconds from the first sample; angles are
 * degrees of leg elevation from the hanging rest pose; angular velocities
 * degrees per second.
 */
public final class Rep {
    /** Fault flag: the leg was thrown, not driven. */
    public static final int FAULT_MOMENTUM = 1;
    /** Fault flag: the leg rose past the hip's extension, so the lower back arched. */
    public static final int FAULT_LUMBAR = 2;
    /** Fault flag: the rep's range was well short of the set's usual range. */
    public static final int FAULT_PARTIAL = 4;

    /** Momentum evidence: the rise was fast. */
    public static final int EVIDENCE_FAST_CONCENTRIC = 1;
    /** Momentum evidence: the peak rising angular velocity was high. */
    public static final int EVIDENCE_HIGH_PEAK_VELOCITY = 2;
    /** Momentum evidence: no hold (squeeze) at the top. */
    public static final int EVIDENCE_NO_HOLD = 4;
    /** Momentum evidence: a wind-up (forward swing) before the kick. */
    public static final int EVIDENCE_WINDUP = 8;
    /** Momentum evidence: the leg was dropped (a fast lowering). */
    public static final int EVIDENCE_FAST_DROP = 16;

    /** The id of the {@link Event.RepStarted} that announced it (unique within the analyzer). */
    public final long id;
    /** 1-based rep number in the stream. */
    public final int index;
    /** 1-based set number. */
    public final int set;
    /** When the leg left the bottom, s. */
    public final double startS;
    /** When the leg was highest, s. */
    public final double peakS;
    /** When the leg was back at the bottom, s. */
    public final double endS;
    /** Peak elevation minus the elevation at the start, degrees. */
    public final double rangeDeg;
    /** Peak elevation above the rest pose, degrees. */
    public final double peakElevationDeg;
    /** Time rising, s. */
    public final double concentricS;
    /** Time held near the top, s. */
    public final double holdS;
    /** Time lowering, s. */
    public final double eccentricS;
    /** Largest angular velocity while rising, degrees/s. */
    public final double peakVelocityDps;
    /** Largest angular velocity while lowering, degrees/s. */
    public final double peakEccentricVelocityDps;
    /** Deepest forward swing just before the kick, degrees (at least 0). */
    public final double windupDeg;
    /** The momentum score the momentum flag was decided on (flagged at 1 or more). */
    public final double momentumScore;
    /** Faults: a bitwise OR of the {@code FAULT_*} flags. */
    public final int faults;
    /** Why momentum was or was not flagged: a bitwise OR of the {@code EVIDENCE_*} flags. */
    public final int momentumEvidence;

    Rep(double[] n) {
        index = (int) n[1];
        set = (int) n[2];
        startS = n[3];
        peakS = n[4];
        endS = n[5];
        rangeDeg = n[6];
        peakElevationDeg = n[7];
        concentricS = n[8];
        holdS = n[9];
        eccentricS = n[10];
        peakVelocityDps = n[11];
        peakEccentricVelocityDps = n[12];
        windupDeg = n[13];
        momentumScore = n[14];
        faults = (int) n[15];
        momentumEvidence = (int) n[16];
        id = (long) n[17];
    }

    /** Whether the rep carries {@code fault} (one of the {@code FAULT_*} flags). */
    public boolean has(int fault) {
        return (faults & fault) != 0;
    }

    @Override
    public String toString() {
        return "Rep " + index + " (set " + set + "): " + rangeDeg + " deg, faults " + faults;
    }
}
