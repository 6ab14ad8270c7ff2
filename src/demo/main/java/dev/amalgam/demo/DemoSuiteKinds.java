package dev.amalgam.demo;

import dev.amalgam.demo.image.ImageZoo;
import dev.amalgam.run.SuiteKindProvider;
import dev.amalgam.run.SuiteKinds;

import java.util.Set;

/** The demo's two suites as run-recipe kinds: {@code demo-text} and {@code demo-image} ({@code zoo} defaults to models/zoo; {@code demo-image} takes {@code zoo_seed}, default 7, the standard zoo). */
public final class DemoSuiteKinds implements SuiteKindProvider {
    @Override
    public void registerKinds() {
        SuiteKinds.register("demo-text", Set.of("zoo", "eval_cap"),
                o -> TextDemoSuite.open(o.path("zoo", o.home().resolve("models/zoo")), o.home(), o.integer("eval_cap", 200)));
        SuiteKinds.register("demo-image", Set.of("zoo", "zoo_seed"), o -> new ImageDemoSuite(o.path("zoo", o.home().resolve("models/zoo")),
                o.options().containsKey("zoo_seed") ? o.integer("zoo_seed", 0) : ImageZoo.Options.standard().seed()));
    }
}
