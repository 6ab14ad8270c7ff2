package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes: "5GB" (10^9, as Hugging Face), "500MiB" (2^20), "1e9", "123". */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z]*)\\s*");

    private ByteSizes() {
    }

    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new AmalgamException("bad size '" + text + "' (examples: 500MB, 2GB, 1e9, 4GiB)");
        }
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "K", "KB" -> 1_000L;
            case "M", "MB" -> 1_000_000L;
            case "G", "GB" -> 1_000_000_000L;
            case "T", "TB" -> 1_000_000_000_000L;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default -> throw new AmalgamException("bad size unit in '" + text + "' (use B, KB, MB, GB, TB, KiB, MiB, GiB)");
        };
        BigDecimal v = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new AmalgamException("size '" + text + "' out of range");
        }
        return v.longValue();
    }

    public static String format(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        if (bytes >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
        return bytes + " B";
    }
}
