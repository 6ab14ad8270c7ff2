package dev.amalgam.eval.datasets.text;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The tiny synthetic raw sources under src/testdata/textsuite. */
final class TextSuiteFixtures {

    private TextSuiteFixtures() {
    }

    static Path root() {
        try {
            return Path.of(TextSuiteFixtures.class.getResource("/textsuite").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path stdlib() {
        return root().resolve("npm/node_modules/@stdlib");
    }

    /** Options reading the fixtures, with caps small enough for their handful of examples. */
    static TextSuiteOptions options() {
        Path r = root();
        return TextSuiteOptions.defaults(r).withSources(r.resolve("npm"), r.resolve("wordnet"), r.resolve("fortunes"))
                .withCaps(12, 6, 6, 6);
    }
}
