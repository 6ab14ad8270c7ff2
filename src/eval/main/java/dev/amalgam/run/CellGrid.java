package dev.amalgam.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.Json;
import dev.amalgam.merge.job.MergeMethods;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.lwptv.LwptvOptions;
import dev.amalgam.report.ResultTable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Expands a recipe into cells: the baselines, then per method entry the cartesian grid of its swept
 * params times its LwPTV variants (each variant's list-valued options expanded as a grid too).
 * Every merge cell's params and LwPTV options are validated here, before anything runs.
 */
public final class CellGrid {
    private CellGrid() {
    }

    public static List<Cell> expand(RunRecipe r) {
        String where = r.file().toString();
        Map<String, Object> suite = new LinkedHashMap<>(r.suite().options());
        suite.put("kind", r.suite().kind());
        Map<String, Object> idContext = Map.of("suite", suite, "tasks", r.tasks());
        Map<String, Object> unseenContext = Map.of("suite", suite, "tasks", r.tasks(), "heldout", r.heldout());
        Map<String, Cell> cells = new LinkedHashMap<>();
        if (r.baselines()) {
            // the pre-trained cell stores every task's scores, so only the suite and the held-out tasks identify it
            add(cells, cell(Map.of("suite", suite, "heldout", r.heldout()), ResultTable.Kind.PRETRAINED, "Pre-trained",
                    null, Map.of(), null, -1, Map.of()));
            add(cells, cell(idContext, ResultTable.Kind.INDIVIDUAL, "Individual fine-tuned", null, Map.of(), null, -1, Map.of()));
        }
        for (int i = 0; i < r.methods().size(); i++) {
            RunRecipe.MethodSpec m = r.methods().get(i);
            String key = "methods[" + i + "]";
            for (Map<String, Object> swept : grid(m.sweep())) {
                Map<String, Object> params = new LinkedHashMap<>(m.params());
                params.putAll(swept);
                check(where, key, m.method(), params);
                for (int v = 0; v < m.lwptv().size(); v++) {
                    Map<String, Object> variant = m.lwptv().get(v);
                    for (Map<String, Object> lw : variant == null ? java.util.Collections.<Map<String, Object>>singletonList(null)
                            : grid(asLists(variant))) {
                        if (lw != null) {
                            try {
                                LwptvOptions.from(lw);
                            } catch (AmalgamException e) {
                                throw new AmalgamException(where + ": key '" + key + ".lwptv': " + e.getMessage());
                            }
                        }
                        add(cells, cell(unseenContext, ResultTable.Kind.MERGED, label(m, params, swept, lw), m.method(),
                                params, lw, i, swept));
                    }
                }
            }
        }
        return List.copyOf(cells.values());
    }

    private static void add(Map<String, Cell> cells, Cell c) {
        cells.putIfAbsent(c.id(), c);
    }

    private static void check(String where, String key, String method, Map<String, Object> params) {
        try {
            MergeMethods.create(new MethodParams(method, params));
        } catch (AmalgamException | IllegalArgumentException e) {
            throw new AmalgamException(where + ": key '" + key + ".params': " + e.getMessage());
        }
    }

    /** A baseline cell (pre-trained or individual) evaluated in {@code context}. */
    public static Cell baseline(Map<String, Object> context, ResultTable.Kind kind, String label) {
        return cell(context, kind, label, null, Map.of(), null, -1, Map.of());
    }

    /** A merge cell with an explicit label (callers that build their own grid, e.g. the demo). */
    public static Cell merged(Map<String, Object> context, String label, String method, Map<String, Object> params,
                              Map<String, Object> lwptv, int methodIndex) {
        return cell(context, ResultTable.Kind.MERGED, label, method, params, lwptv, methodIndex, Map.of());
    }

    private static Cell cell(Map<String, Object> context, ResultTable.Kind kind, String label, String method,
                             Map<String, Object> params, Map<String, Object> lwptv, int index, Map<String, Object> swept) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("context", context);
        identity.put("kind", kind.name());
        identity.put("method", method);
        identity.put("params", params);
        identity.put("lwptv", lwptv);
        return new Cell(id(identity), kind, label, method, params, lwptv, index, swept);
    }

    /** First 16 hex digits of the SHA-256 of the canonical JSON (sorted keys, numbers normalised: 1 == 1.0). */
    static String id(Object identity) {
        try {
            byte[] json = Json.MAPPER.writeValueAsString(canonical(identity)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object canonical(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), canonical(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(CellGrid::canonical).toList();
        }
        if (o instanceof Number n) {
            BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
            return d.toPlainString();
        }
        return o;
    }

    /** Cartesian product of the value lists, first key varying slowest; one empty map when there are none. */
    static List<Map<String, Object>> grid(Map<String, List<Object>> axes) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> a : axes.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : a.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(a.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static Map<String, List<Object>> asLists(Map<String, Object> options) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, v instanceof List<?> l ? new ArrayList<>(l) : List.of(v)));
        return out;
    }

    /** "label" if given, else the method name with its params; swept values and LwPTV options appended. */
    static String label(RunRecipe.MethodSpec m, Map<String, Object> params, Map<String, Object> swept, Map<String, Object> lw) {
        StringBuilder sb = new StringBuilder();
        if (m.label() != null) {
            sb.append(m.label());
            if (!swept.isEmpty()) {
                sb.append(' ').append(kv(swept));
            }
        } else {
            sb.append(m.method());
            if (!params.isEmpty()) {
                sb.append(' ').append(kv(params));
            }
        }
        if (lw != null) {
            sb.append(" + LwPTV");
            if (!lw.isEmpty()) {
                sb.append(' ').append(kv(lw));
            }
        }
        return sb.toString();
    }

    private static String kv(Map<String, Object> m) {
        Set<String> parts = new LinkedHashSet<>();
        m.forEach((k, v) -> parts.add((k.equals("lambda") ? "λ" : k) + "=" + v));
        return "(" + String.join(", ", parts) + ")";
    }
}
