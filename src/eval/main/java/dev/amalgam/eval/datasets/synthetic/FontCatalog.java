package dev.amalgam.eval.datasets.synthetic;

import dev.amalgam.AmalgamException;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Debian font files glyphs are rendered from, loaded by file (not by family lookup) so the same
 * packages give the same pixels everywhere. {@link #TRAIN} fonts (fonts-dejavu-core, fonts-liberation)
 * make the ID data; {@link #HELD_OUT} fonts (fonts-freefont-ttf, italic Liberation faces) are never
 * used for training or pretraining and make font_letters' OOD split. datasets/setup.sh installs all.
 */
public final class FontCatalog {
    /** A font file and the words captions call it by. */
    public record FontSpec(String caption, String dir, String file) {
        public Path path() {
            return Path.of("/usr/share/fonts/truetype", dir, file);
        }
    }

    public static final List<FontSpec> TRAIN = List.of(
            new FontSpec("dejavu sans", "dejavu", "DejaVuSans.ttf"),
            new FontSpec("dejavu sans bold", "dejavu", "DejaVuSans-Bold.ttf"),
            new FontSpec("dejavu serif", "dejavu", "DejaVuSerif.ttf"),
            new FontSpec("dejavu serif bold", "dejavu", "DejaVuSerif-Bold.ttf"),
            new FontSpec("dejavu mono", "dejavu", "DejaVuSansMono.ttf"),
            new FontSpec("dejavu mono bold", "dejavu", "DejaVuSansMono-Bold.ttf"),
            new FontSpec("liberation sans", "liberation", "LiberationSans-Regular.ttf"),
            new FontSpec("liberation serif", "liberation", "LiberationSerif-Regular.ttf"));

    public static final List<FontSpec> HELD_OUT = List.of(
            new FontSpec("free serif italic", "freefont", "FreeSerifItalic.ttf"),
            new FontSpec("free mono", "freefont", "FreeMono.ttf"),
            new FontSpec("free sans bold oblique", "freefont", "FreeSansBoldOblique.ttf"),
            new FontSpec("liberation mono", "liberation", "LiberationMono-Regular.ttf"),
            new FontSpec("liberation sans italic", "liberation", "LiberationSans-Italic.ttf"),
            new FontSpec("liberation serif bold italic", "liberation", "LiberationSerif-BoldItalic.ttf"));

    private static final Map<Path, Font> CACHE = new ConcurrentHashMap<>();

    private FontCatalog() {
    }

    public static Font load(FontSpec spec) {
        return CACHE.computeIfAbsent(spec.path(), p -> {
            if (!Files.isRegularFile(p)) {
                throw new AmalgamException(p + ": font not found (run datasets/setup.sh: fonts-dejavu-core, "
                        + "fonts-liberation, fonts-freefont-ttf)");
            }
            try {
                return Font.createFont(Font.TRUETYPE_FONT, p.toFile());
            } catch (FontFormatException | IOException e) {
                throw new AmalgamException(p + ": cannot load font (" + e.getMessage() + ")", e);
            }
        });
    }
}
