package kickback;

/**
 * The online analyzer: push samples as the sensor delivers them, poll events
 * as they happen, finish at the end of the session, close when done.
 *
 * <pre>{@code
 * try (Analyzer a = new Analyzer(new Settings().torsoHingeDeg(40))) {
 *     a.push(t, new double[] {ax, ay, az}, new double[] {gx, gy, gz}); // gyro may be null
 *     for (Event e = a.poll(); e != null; e = a.poll()) {
 *         if (e instanceof Event.RepCompleted) {
 *             Rep r = ((Event.RepCompleted) e).rep;
 *         } else if (e instanceof Event.RepDiscarded) {
 *             // the rise Event.RepStarted announced with this id was no rep; reason says why
 *         } else if (e instanceof Event.Walking) {
 *             // the user walked from startS to endS: those steps are not reps
 *         }
 *     }
 *     a.finish(); // then poll: the last rep, the last set, Event.Finished
 * }
 * }</pre>
 *
 * Units: time in seconds (any origin, increasing), specific force in m/s^2
 * with gravity (+9.81 up at rest), angular rate in rad/s in the
 * accelerometer's frame. The methods are synchronized: one analyzer may be
 * used from several threads. It needs the native library {@code kickback_jni}
 * ({@code libkickback_jni.so}; on Android, in {@code jniLibs}).
 */
public final class Analyzer implements AutoCloseable {
    static {
        System.loadLibrary("kickback_jni");
    }

    /** Values per event passed by the native library. */
    private static final int NUMBERS = 18;

    private long handle;
    private final double[] numbers = new double[NUMBERS];
    private final String[] texts = new String[2];

    /**
     * An analyzer with {@code settings}.
     *
     * @throws IllegalArgumentException if a key is unknown or a value out of range (the message says which)
     */
    public Analyzer(Settings settings) {
        handle = nativeNew(settings.toToml());
    }

    /** An analyzer with the default settings. */
    public Analyzer() {
        this(new Settings());
    }

    /** The native library's version, e.g. {@code "0.1.0"}. */
    public static String version() {
        return nativeVersion();
    }

    private long live() {
        if (handle == 0) {
            throw new IllegalStateException("the analyzer is closed");
        }
        return handle;
    }

    /**
     * Pushes one sample.
     *
     * @param t time, s
     * @param acc specific force x, y, z in m/s^2 with gravity (3 values)
     * @param gyro angular rate x, y, z in rad/s (3 values), or null without a gyroscope
     * @return false if a value was NaN or infinite: the sample was dropped, the analyzer goes on
     * @throws IllegalArgumentException if acc or gyro does not hold 3 values
     */
    public synchronized boolean push(double t, double[] acc, double[] gyro) {
        return nativePush(live(), t, acc, gyro);
    }

    /**
     * Pushes {@code t.length} samples at once.
     *
     * @param t times, s
     * @param accXyz x, y, z of sample 0, then of sample 1, ... (3 t.length values), m/s^2
     * @param gyroXyz the same layout in rad/s, or null without a gyroscope
     * @return how many samples had a NaN or infinite value and were dropped
     * @throws IllegalArgumentException if an array has the wrong length
     */
    public synchronized int pushMany(double[] t, double[] accXyz, double[] gyroXyz) {
        return nativePushMany(live(), t, accXyz, gyroXyz);
    }

    /** The oldest queued event, or null when none is queued. */
    public synchronized Event poll() {
        while (true) {
            int kind = nativePoll(live(), numbers, texts);
            if (kind == 0) {
                return null;
            }
            Event e = Event.fromNative(kind, numbers, texts);
            if (e != null) {
                return e;
            }
        }
    }

    /**
     * Ends the stream: the rep or set still open is completed and
     * {@link Event.Finished} queued; poll to read them. Pushing afterwards
     * starts a new stream.
     */
    public synchronized void finish() {
        nativeFinish(live());
    }

    /** Frees the native analyzer; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        long h = handle;
        handle = 0;
        nativeFree(h);
    }

    private static native long nativeNew(String toml);

    private static native boolean nativePush(long h, double t, double[] acc, double[] gyro);

    private static native int nativePushMany(long h, double[] t, double[] acc, double[] gyro);

    private static native int nativePoll(long h, double[] numbers, String[] texts);

    private static native void nativeFinish(long h);

    private static native void nativeFree(long h);

    private static native String nativeVersion();
}
