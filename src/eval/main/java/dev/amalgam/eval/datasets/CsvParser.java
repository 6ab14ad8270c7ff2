package dev.amalgam.eval.datasets;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records: delimiter-separated fields, double-quoted fields may hold delimiters, quotes ("") and newlines. */
final class CsvParser {
    private final Reader in;
    private final char delimiter;
    private int peeked = -2;

    CsvParser(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** The next record, or null at end of input. */
    List<String> next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException("unterminated quoted field");
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        sb.append('"');
                    } else {
                        quoted = false;
                        c = n;
                        continue;
                    }
                } else {
                    sb.append((char) c);
                }
            } else if (c == '"' && sb.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == delimiter) {
                fields.add(sb.toString());
                sb.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == -1) {
                break;
            } else if (c == '\r') {
                int n = read();
                if (n != '\n') {
                    unread(n);
                }
                break;
            } else {
                sb.append((char) c);
            }
            c = read();
        }
        fields.add(sb.toString());
        return fields;
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int p = peeked;
            peeked = -2;
            return p;
        }
        return in.read();
    }

    private void unread(int c) {
        peeked = c;
    }
}
