package dev.amalgam.eval.transforms.corruption;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against scipy.ndimage.gaussian_filter (src/python/make_gaussian_filter_fixture.py). */
class GaussianFilterTest {

    @Test
    void matchesScipyNearestMode() throws IOException {
        int h = 17;
        int w = 20;
        double[] v = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = ((x * 37 + y * 101) % 97) / 97.0;
            }
        }
        for (String sigma : new String[] {"0.5", "0.7", "1.5"}) {
            double[] got = GaussianFilter.blur(v, w, h, Double.parseDouble(sigma));
            ByteBuffer ref;
            try (InputStream in = getClass().getResourceAsStream("/eval/corruption/gaussian_" + sigma + ".f64")) {
                ref = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            }
            for (int i = 0; i < got.length; i++) {
                assertEquals(ref.getDouble(8 * i), got[i], 1e-12, "sigma " + sigma + " at " + i);
            }
        }
    }
}
