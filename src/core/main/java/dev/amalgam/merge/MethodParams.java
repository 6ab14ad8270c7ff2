package dev.amalgam.merge;

import dev.amalgam.AmalgamException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyperparameters of one method, as given in a recipe or with --param. Typed getters with defaults;
 * {@link #checkKnown(Set)} rejects misspelt keys with a clear error.
 */
public final class MethodParams {
    private final String method;
    private final Map<String, Object> values;

    public MethodParams(String method, Map<String, ?> values) {
        this.method = method;
        this.values = new LinkedHashMap<>(values);
    }

    public static MethodParams of(String method, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new MethodParams(method, m);
    }

    public String method() {
        return method;
    }

    public Map<String, Object> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public double getDouble(String key, double def) {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new AmalgamException(method + ": parameter '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public int getInt(String key, int def) {
        double d = getDouble(key, def);
        if (d != Math.rint(d)) {
            throw new AmalgamException(method + ": parameter '" + key + "' must be an integer, got " + d);
        }
        return (int) d;
    }

    public long getLong(String key, long def) {
        double d = getDouble(key, def);
        if (d != Math.rint(d)) {
            throw new AmalgamException(method + ": parameter '" + key + "' must be an integer, got " + d);
        }
        return (long) d;
    }

    public boolean getBool(String key, boolean def) {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("1") || s.equals("yes")) {
            return true;
        }
        if (s.equals("false") || s.equals("0") || s.equals("no")) {
            return false;
        }
        throw new AmalgamException(method + ": parameter '" + key + "' must be true or false, got '" + v + "'");
    }

    public String getString(String key, String def) {
        Object v = values.get(key);
        return v == null ? def : v.toString();
    }

    /** Value in [lo, hi] or a clear error. */
    public double getDoubleIn(String key, double def, double lo, double hi) {
        double d = getDouble(key, def);
        if (!(d >= lo && d <= hi)) {
            throw new AmalgamException(method + ": parameter '" + key + "' must be in [" + lo + ", " + hi + "], got " + d);
        }
        return d;
    }

    /** The number of a declared parameter, its declared default when absent. */
    public double number(ParamDef d) {
        return getDouble(d.name(), ((Number) declaredDefault(d)).doubleValue());
    }

    /** The number of a declared parameter whose default depends on other settings. */
    public double number(ParamDef d, double dependentDefault) {
        return getDouble(d.name(), dependentDefault);
    }

    /** A declared number that must lie in [lo, hi]. */
    public double numberIn(ParamDef d, double lo, double hi) {
        return getDoubleIn(d.name(), ((Number) declaredDefault(d)).doubleValue(), lo, hi);
    }

    public int integer(ParamDef d) {
        return getInt(d.name(), ((Number) declaredDefault(d)).intValue());
    }

    public boolean bool(ParamDef d) {
        return getBool(d.name(), (Boolean) declaredDefault(d));
    }

    public boolean bool(ParamDef d, boolean dependentDefault) {
        return getBool(d.name(), dependentDefault);
    }

    /** The text of a declared parameter (null when absent and the declaration has no default). */
    public String text(ParamDef d) {
        return getString(d.name(), (String) d.fallback());
    }

    private Object declaredDefault(ParamDef d) {
        if (d.fallback() == null) {
            throw new IllegalStateException(method + ": parameter '" + d.name() + "' has no declared default");
        }
        return d.fallback();
    }

    /** Rejects keys no declaration names. */
    public void checkKnown(java.util.List<ParamDef> declared) {
        Set<String> known = new java.util.HashSet<>();
        declared.forEach(d -> known.add(d.name()));
        checkKnown(known);
    }

    /** Rejects keys the method does not know. */
    public void checkKnown(Set<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new AmalgamException(method + ": unknown parameter(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
    }
}
