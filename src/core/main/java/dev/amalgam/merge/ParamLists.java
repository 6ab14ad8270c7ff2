package dev.amalgam.merge;

import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** List-valued method parameters: a YAML/JSON list, a Java array or a comma-separated string. */
public final class ParamLists {
    private ParamLists() {
    }

    /** The doubles of {@code key}, or null when absent. */
    public static double[] doubles(MethodParams p, String key) {
        List<String> items = strings(p, key);
        if (items == null) {
            return null;
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(items.get(i).trim());
            } catch (NumberFormatException e) {
                throw new AmalgamException(p.method() + ": parameter '" + key + "' must be a list of numbers, got '"
                        + items.get(i) + "'");
            }
        }
        return out;
    }

    /** The strings of {@code key}, or null when absent. */
    public static List<String> strings(MethodParams p, String key) {
        Object v = p.asMap().get(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                out.add(String.valueOf(o));
            }
        } else if (v instanceof double[] a) {
            for (double d : a) {
                out.add(Double.toString(d));
            }
        } else if (v instanceof Object[] a) {
            for (Object o : a) {
                out.add(String.valueOf(o));
            }
        } else {
            String s = v.toString().trim();
            if (s.startsWith("[") && s.endsWith("]")) {
                s = s.substring(1, s.length() - 1);
            }
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** Checks that a per-task list (null = not given) matches the number of tasks of a step. */
    public static void checkPerTask(String method, String key, double[] values, int taskCount, String tensor) {
        if (values != null && values.length != taskCount) {
            throw new AmalgamException(method + ": parameter '" + key + "' has " + values.length + " values but "
                    + taskCount + " models are merged (tensor " + tensor + ")");
        }
    }

    /** The per-task value: values[t], or def when the list is absent. */
    public static double at(double[] values, int t, double def) {
        return values == null ? def : values[t];
    }

    public static String format(double[] values) {
        if (values == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.append(']').toString();
    }
}
