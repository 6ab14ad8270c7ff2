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

/** Every read path (heap copy, own mapping, mapping released after use, positional read) on odd offsets, and >2 GiB files. */
class SafetensorsWindowingTest {
    @TempDir
    Path tmp;

    @Test
    void everyTensorIsExactOnEveryPath() {
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
        for (int copyLimit : new int[] {0, 1, 7, 8, 13, 64, 333, 1 << 20}) {
            try (SafetensorsFile f = SafetensorsFile.open(file, copyLimit)) {
                assertEquals(40, f.names().size());
                for (Map.Entry<String, byte[]> e : data.entrySet()) {
                    ByteBuffer got = f.bytes(e.getKey());
                    assertTrue(got.isReadOnly());
                    byte[] g = new byte[got.remaining()];
                    got.get(g);
                    assertArrayEquals(e.getValue(), g, "copy limit " + copyLimit + " " + e.getKey());
                    byte[] viaWith = f.withBytes(e.getKey(), b -> {
                        byte[] c = new byte[b.remaining()];
                        b.get(c);
                        return c;
                    });
                    assertArrayEquals(e.getValue(), viaWith, "withBytes " + e.getKey());
                    ByteBuffer direct = ByteBuffer.allocateDirect(g.length);
                    f.readInto(e.getKey(), direct);
                    assertEquals(ByteBuffer.wrap(e.getValue()), direct.flip());
                }
            }
        }
    }

    /** withBytes leaves no mapping of the file behind (what keeps file pages resident in RSS). */
    @Test
    void withBytesReleasesItsMapping() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(5).nextBytes(data);
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[" + data.length + "],\"data_offsets\":[0," + data.length + "]}}";
        Path file = RawSafetensors.write(tmp.resolve("released.safetensors"), header, data);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            long sum = f.withBytes("a", b -> {
                long s = 0;
                while (b.hasRemaining()) {
                    s += b.get();
                }
                return s;
            });
            long want = 0;
            for (byte b : data) {
                want += b;
            }
            assertEquals(want, sum);
            if (Unmapper.available()) {
                String maps = java.nio.file.Files.readString(Path.of("/proc/self/maps"));
                assertTrue(!maps.contains(file.getFileName().toString()), "mapping still present after withBytes");
            }
        }
    }

    /** Real scale on a sparse file (no disk space used): a tensor beyond 2 GiB reads fine, one of 2 GiB is refused. */
    @Test
    void beyondTwoGibInASparseFile() throws Exception {
        long big = 1L << 31;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"far\":{\"dtype\":\"I32\",\"shape\":[4],\"data_offsets\":[" + big + "," + (big + 16) + "]}}";
        byte[] prefix = RawSafetensors.bytes(header, new byte[0]);
        byte[] far = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        Path file = tmp.resolve("sparse.safetensors");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.write(prefix);
            raf.seek(prefix.length + big);
            raf.write(far);
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ByteBuffer b = f.bytes("far");
            assertEquals(16, b.remaining());
            assertEquals(3, b.getInt(8));
            assertEquals(-1, b.getInt(12));
            ByteBuffer read = ByteBuffer.allocate(16);
            f.readInto("far", read);
            assertArrayEquals(far, read.array());
            dev.amalgam.AmalgamException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.amalgam.AmalgamException.class, () -> f.bytes("big"));
            assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains("2 GiB"), e.getMessage());
        }
    }
}
