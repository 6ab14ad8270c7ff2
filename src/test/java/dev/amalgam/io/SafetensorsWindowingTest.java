package dev.amalgam.io;

import dev.amalgam.testutil.RawSafetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The >2 GiB path in miniature: tiny mapping windows, tensors inside and across window boundaries. */
class SafetensorsWindowingTest {
    @TempDir
    Path tmp;

    @Test
    void everyTensorIsExactWhateverTheWindow() {
        Random r = new Random(3);
        Map<String, byte[]> data = new LinkedHashMap<>();
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            int len = 1 + r.nextInt(37);
            byte[] b = new byte[len];
            r.nextBytes(b);
            String name = String.format("t%02d", i);
            data.put(name, b);
            header.append(i == 0 ? "" : ",").append('"').append(name).append("\":{\"dtype\":\"U8\",\"shape\":[")
                    .append(len).append("],\"data_offsets\":[").append(all.size()).append(',')
                    .append(all.size() + len).append("]}");
            all.writeBytes(b);
        }
        header.append('}'); // unpadded on purpose: data starts at an odd offset
        Path file = RawSafetensors.write(tmp.resolve("w.safetensors"), header.toString(), all.toByteArray());
        for (long window : new long[] {1, 7, 8, 13, 64, 333, 1 << 20}) {
            try (SafetensorsFile f = SafetensorsFile.open(file, window)) {
                assertEquals(40, f.names().size());
                for (Map.Entry<String, byte[]> e : data.entrySet()) {
                    ByteBuffer got = f.bytes(e.getKey());
                    assertTrue(got.isReadOnly());
                    byte[] g = new byte[got.remaining()];
                    got.get(g);
                    assertArrayEquals(e.getValue(), g, "window " + window + " " + e.getKey());
                }
            }
        }
    }
}
