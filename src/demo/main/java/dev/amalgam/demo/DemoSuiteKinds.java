package dev.amalgam.demo;

import dev.amalgam.run.SuiteKindProvider;
import dev.amalgam.run.SuiteKinds;

import java.util.Set;

/** The demo's two suites as run-recipe kinds: {@code demo-text} and {@code demo-image} ({@code zoo} defaults to models/zoo). */
public final class DemoSuiteKinds implements SuiteKindProvider {
    @Override
    public void registerKinds() {
        SuiteKinds.register("demo-text", Set.of("zoo", "eval_cap"),
                o -> TextDemoSuite.open(o.path("zoo", o.home().resolve("models/zoo")), o.home(), o.integer("eval_cap", 200)));
        SuiteKinds.register("demo-image", Set.of("zoo"), o -> new ImageDemoSuite(o.path("zoo", o.home().resolve("models/zoo"))));
    }
}
