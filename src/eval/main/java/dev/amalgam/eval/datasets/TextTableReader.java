package dev.amalgam.eval.datasets;

import dev.amalgam.train.TextExample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Reads text classification data from CSV or TSV (first row = header) or JSONL (one object per
 * line), gzip allowed. The text and label columns are named by the caller. Labels are mapped to
 * indices: given {@code labelNames}, a label value is either one of those names or an integer
 * index; without them, integer labels 0..max name themselves and other labels are sorted.
 */
public final class TextTableReader {
    public enum Format { CSV, TSV, JSONL }

    private TextTableReader() {
    }

    public static Format formatOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        if (n.endsWith(".tsv")) {
            return Format.TSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        return Format.CSV;
    }

    public static ListDataset<TextExample> read(Path file, Format format, String textColumn, String labelColumn,
                                                List<String> labelNames, String name) {
        List<String[]> rows = format == Format.JSONL ? jsonl(file, textColumn, labelColumn)
                : delimited(file, format == Format.TSV ? '\t' : ',', textColumn, labelColumn);
        List<String> names = labelNames != null && !labelNames.isEmpty() ? labelNames : inferNames(rows);
        List<TextExample> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(new TextExample(rows.get(i)[0], labelIndex(rows.get(i)[1], names, file, i + 1)));
        }
        return new ListDataset<>(name, names, out);
    }

    private static List<String[]> delimited(Path file, char delim, String textColumn, String labelColumn) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compressed.open(file), StandardCharsets.UTF_8))) {
            CsvParser p = new CsvParser(r, delim);
            List<String> header = p.next();
            if (header == null) {
                throw new AmalgamException(file + ": empty file");
            }
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            int t = column(header, textColumn, file);
            int l = column(header, labelColumn, file);
            List<String> rec;
            int recNo = 1;
            while ((rec = p.next()) != null) {
                recNo++;
                if (rec.size() == 1 && rec.get(0).isEmpty()) {
                    continue;
                }
                if (rec.size() != header.size()) {
                    throw new AmalgamException(file + ": record " + recNo + " has " + rec.size() + " fields, header has "
                            + header.size());
                }
                rows.add(new String[] {rec.get(t), rec.get(l).trim()});
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot parse (" + e.getMessage() + ")", e);
        }
        return rows;
    }

    private static List<String[]> jsonl(Path file, String textColumn, String labelColumn) {
        ObjectMapper om = new ObjectMapper();
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Compressed.open(file), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = om.readTree(line);
                JsonNode t = node.get(textColumn);
                JsonNode l = node.get(labelColumn);
                if (t == null || l == null) {
                    throw new AmalgamException(file + ": line " + lineNo + " lacks '" + (t == null ? textColumn : labelColumn) + "'");
                }
                rows.add(new String[] {t.asText(), l.asText().trim()});
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot parse JSONL (" + e.getMessage() + ")", e);
        }
        return rows;
    }

    private static int column(List<String> header, String name, Path file) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new AmalgamException(file + ": no column '" + name + "' (columns: " + String.join(", ", header) + ")");
        }
        return i;
    }

    private static List<String> inferNames(List<String[]> rows) {
        boolean allInts = rows.stream().allMatch(r -> r[1].matches("\\d+"));
        if (allInts) {
            int max = rows.stream().mapToInt(r -> Integer.parseInt(r[1])).max().orElse(-1);
            List<String> names = new ArrayList<>();
            for (int i = 0; i <= max; i++) {
                names.add(Integer.toString(i));
            }
            return names;
        }
        TreeSet<String> set = new TreeSet<>();
        rows.forEach(r -> set.add(r[1]));
        return new ArrayList<>(set);
    }

    private static int labelIndex(String value, List<String> names, Path file, int recNo) {
        int i = names.indexOf(value);
        if (i >= 0) {
            return i;
        }
        if (value.matches("\\d+")) {
            int v = Integer.parseInt(value);
            if (v < names.size()) {
                return v;
            }
        }
        throw new AmalgamException(file + ": record " + recNo + " has unknown label '" + value + "'");
    }
}
