package kickback;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Analysis settings: the defaults, with the values you set. Keys are those of
 * {@code kickback.toml} ({@code "section.key"}, e.g. {@code "lumbar.torso_hinge_deg"});
 * {@code kickback config --defaults} lists them all with units and reasons.
 * Keys and values are checked when an {@link Analyzer} is made from them.
 *
 * <pre>{@code
 * Settings s = new Settings().torsoHingeDeg(40).set("reps.min_rise_deg", 12);
 * }</pre>
 */
public final class Settings {
    private final Map<String, Double> values = new TreeMap<>();

    /** The defaults. */
    public Settings() {}

    /**
     * Sets one setting.
     *
     * @param key {@code "section.key"}, as in {@code kickback.toml}
     * @param value in the setting's unit (degrees, seconds, degrees/s, ...)
     * @return this, to chain calls
     * @throws IllegalArgumentException if the key is not of the form {@code section.key}
     */
    public Settings set(String key, double value) {
        if (key == null || !key.matches("[a-z_]+\\.[a-z_]+")) {
            throw new IllegalArgumentException(
                    "setting key `" + key + "`: expected section.key, e.g. lumbar.torso_hinge_deg");
        }
        values.put(key, value);
        return this;
    }

    /** Your forward lean of the torso from vertical, degrees (default 45). */
    public Settings torsoHingeDeg(double deg) {
        return set("lumbar.torso_hinge_deg", deg);
    }

    /** Your hip extension beyond neutral before the lower back takes over, degrees (default 20). */
    public Settings hipExtensionLimitDeg(double deg) {
        return set("lumbar.hip_extension_limit_deg", deg);
    }

    /** The settings as {@code kickback.toml} text (what the native library reads). */
    public String toToml() {
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String[] parts = e.getKey().split("\\.", 2);
            if (!parts[0].equals(section)) {
                section = parts[0];
                out.append('[').append(section).append("]\n");
            }
            double v = e.getValue();
            // Integral values are written as integers so that count settings parse.
            String text = v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15
                    ? String.format(Locale.ROOT, "%d", (long) v)
                    : Double.isNaN(v) ? "nan" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf")
                    : Double.toString(v);
            out.append(parts[1]).append(" = ").append(text).append('\n');
        }
        return out.toString();
    }
}
