package dev.amalgam.report;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell's per-example outcomes, {@code outcomes/<cell id>.bin}, written atomically: "AMO1", the number of
 * columns, then per column its name (as in results.csv), the examples' fingerprint, trials, n, and the hits:
 * a bitset (LSB first, ⌈n/8⌉ bytes) when trials = 1, else one byte per example. A 10 000-example split costs
 * 1.25 kB.
 */
public final class OutcomesFile {
    private static final int MAGIC = 0x414D4F31;

    private OutcomesFile() {
    }

    public static void write(Path file, Map<String, Outcomes> columns) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(columns.size());
            for (Map.Entry<String, Outcomes> e : columns.entrySet()) {
                Outcomes o = e.getValue();
                out.writeUTF(e.getKey());
                out.writeUTF(o.examples());
                out.writeByte(o.trials());
                out.writeInt(o.size());
                out.write(pack(o));
            }
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot write per-example outcomes (" + e.getMessage() + ")");
        }
    }

    /** The outcomes in {@code file}; empty when there is none (a cell computed before outcomes were kept). */
    public static Map<String, Outcomes> read(Path file) {
        Map<String, Outcomes> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return m;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new AmalgamException(file + ": not an outcomes file (bad magic)");
            }
            int columns = in.readInt();
            for (int c = 0; c < columns; c++) {
                String key = in.readUTF();
                String examples = in.readUTF();
                int trials = in.readUnsignedByte();
                int n = in.readInt();
                if (n < 0 || trials < 1) {
                    throw new AmalgamException(file + ": column '" + key + "' is corrupt (n=" + n + ", trials=" + trials + ")");
                }
                byte[] packed = new byte[trials == 1 ? (n + 7) / 8 : n];
                in.readFully(packed);
                m.put(key, new Outcomes(examples, trials, unpack(packed, trials, n)));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new AmalgamException(file + ": cannot read per-example outcomes (" + e.getMessage() + ")");
        }
        return m;
    }

    private static byte[] pack(Outcomes o) {
        int[] hits = o.hits();
        if (o.trials() > 1) {
            byte[] b = new byte[hits.length];
            for (int i = 0; i < hits.length; i++) {
                b[i] = (byte) hits[i];
            }
            return b;
        }
        byte[] b = new byte[(hits.length + 7) / 8];
        for (int i = 0; i < hits.length; i++) {
            if (hits[i] == 1) {
                b[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return b;
    }

    private static int[] unpack(byte[] b, int trials, int n) {
        int[] hits = new int[n];
        for (int i = 0; i < n; i++) {
            hits[i] = trials > 1 ? b[i] & 0xFF : (b[i >>> 3] >>> (i & 7)) & 1;
        }
        return hits;
    }
}
