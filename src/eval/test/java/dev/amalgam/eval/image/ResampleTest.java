package dev.amalgam.eval.image;

import dev.amalgam.eval.transforms.ClipPreprocess;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares against PIL 9.4 outputs made by src/python/make_pil_resize_fixtures.py. */
class ResampleTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ResampleTest.class.getResourceAsStream("/eval/pil/" + name)) {
            return in.readAllBytes();
        }
    }

    static RgbImage input() throws IOException {
        try (InputStream in = ResampleTest.class.getResourceAsStream("/eval/pil/input.png")) {
            return RgbImage.of(ImageIO.read(in));
        }
    }

    private static int maxAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }

    private void check(int w, int h, ResampleFilter f, String fixture) throws IOException {
        RgbImage out = Resample.resize(input(), w, h, f);
        int diff = maxAbsDiff(resource(fixture), out.rgb());
        assertTrue(diff <= 1, fixture + ": max |java - PIL| = " + diff);
    }

    @Test
    void bicubicDownscaleMatchesPil() throws IOException {
        check(34, 24, ResampleFilter.BICUBIC, "bicubic_34x24.rgb");
    }

    @Test
    void bicubicUpscaleMatchesPil() throws IOException {
        check(144, 100, ResampleFilter.BICUBIC, "bicubic_144x100.rgb");
    }

    @Test
    void boxAndBilinearMatchPil() throws IOException {
        check(31, 21, ResampleFilter.BOX, "box_31x21.rgb");
        check(50, 40, ResampleFilter.BILINEAR, "bilinear_50x40.rgb");
    }

    @Test
    void bicubicKernelHandValues() {
        // Keys a = -0.5: w(0) = 1, w(0.5) = 0.5625, w(1) = 0, w(1.5) = -0.0625, w(2) = 0
        assertEquals(1.0, ResampleFilter.BICUBIC.weight(0), 1e-12);
        assertEquals(0.5625, ResampleFilter.BICUBIC.weight(0.5), 1e-12);
        assertEquals(0.0, ResampleFilter.BICUBIC.weight(1), 1e-12);
        assertEquals(-0.0625, ResampleFilter.BICUBIC.weight(-1.5), 1e-12);
        assertEquals(0.0, ResampleFilter.BICUBIC.weight(2), 1e-12);
    }

    @Test
    void clipPreprocessMatchesPilPipeline() throws IOException {
        FloatImage got = new ClipPreprocess(32).apply(input());
        ByteBuffer bb = ByteBuffer.wrap(resource("clip32.f32")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(3 * 32 * 32, got.data().length);
        double tol = (1.0 / 255) / 0.2613 + 1e-5; // one 8-bit step after division by the smallest std
        double max = 0;
        for (int i = 0; i < got.data().length; i++) {
            max = Math.max(max, Math.abs(bb.getFloat(4 * i) - got.data()[i]));
        }
        assertTrue(max <= tol, "max diff " + max);
    }

    @Test
    void normalisationHandValue() {
        RgbImage im = RgbImage.blank(1, 1);
        im.set(0, 0, 0, 255);
        FloatImage f = new ClipPreprocess(1).normalize(im);
        assertEquals((1 - 0.48145466) / 0.26862954, f.get(0, 0, 0), 1e-5);
        assertEquals((0 - 0.4578275) / 0.26130258, f.get(1, 0, 0), 1e-5);
    }
}
