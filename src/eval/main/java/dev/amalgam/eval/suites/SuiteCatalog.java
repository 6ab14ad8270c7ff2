package dev.amalgam.eval.suites;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Task suites and task specs, read from YAML: {@code <dir>/<suite>.yaml} ({@code name}, {@code tasks})
 * and {@code <dir>/tasks/<task>.yaml} ({@code name, source, num_classes, templates, classes}). The
 * repository's eval/suites is also packaged in the jar under {@code amalgam/suites/}.
 */
public final class SuiteCatalog {
    public static final List<String> BUILTIN_SUITES = List.of("ta8", "tall14", "tall20");
    private static final String RESOURCE_ROOT = "/amalgam/suites/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Map<String, SuiteSpec> suites;
    private final Map<String, TaskSpec> tasks;

    private SuiteCatalog(Map<String, SuiteSpec> suites, Map<String, TaskSpec> tasks) {
        this.suites = suites;
        this.tasks = tasks;
    }

    /** Reads every suite in {@code dir} and every task under {@code dir/tasks}. */
    public static SuiteCatalog fromDirectory(Path dir) {
        Map<String, SuiteSpec> suites = new LinkedHashMap<>();
        Map<String, TaskSpec> tasks = new LinkedHashMap<>();
        for (Path f : yamlFiles(dir)) {
            SuiteSpec s = parse(f, SuiteSpec.class);
            suites.put(s.name().toLowerCase(Locale.ROOT), s);
        }
        Path taskDir = dir.resolve("tasks");
        if (Files.isDirectory(taskDir)) {
            for (Path f : yamlFiles(taskDir)) {
                TaskSpec t = parse(f, TaskSpec.class);
                tasks.put(t.name(), t);
            }
        }
        return new SuiteCatalog(suites, tasks);
    }

    /** The built-in suites (TA8, TALL14, TALL20) and their tasks, from the classpath. */
    public static SuiteCatalog builtin() {
        Map<String, SuiteSpec> suites = new LinkedHashMap<>();
        Map<String, TaskSpec> tasks = new LinkedHashMap<>();
        for (String s : BUILTIN_SUITES) {
            SuiteSpec suite = resource(s + ".yaml", SuiteSpec.class);
            suites.put(suite.name().toLowerCase(Locale.ROOT), suite);
            for (String t : suite.tasks()) {
                tasks.computeIfAbsent(t, k -> resource("tasks/" + k + ".yaml", TaskSpec.class));
            }
        }
        return new SuiteCatalog(suites, tasks);
    }

    public List<String> suiteNames() {
        return List.copyOf(suites.keySet());
    }

    public List<String> taskNames() {
        return List.copyOf(tasks.keySet());
    }

    public SuiteSpec suite(String name) {
        SuiteSpec s = suites.get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new AmalgamException("unknown task suite '" + name + "' (known: " + String.join(", ", suiteNames()) + ")");
        }
        return s;
    }

    public TaskSpec task(String name) {
        TaskSpec t = tasks.get(name);
        if (t == null) {
            throw new AmalgamException("unknown task '" + name + "' (known: " + String.join(", ", taskNames()) + ")");
        }
        return t;
    }

    /** The tasks of a suite, in suite order. */
    public List<TaskSpec> tasksOf(String suite) {
        List<TaskSpec> out = new ArrayList<>();
        for (String t : suite(suite).tasks()) {
            out.add(task(t));
        }
        return out;
    }

    private static List<Path> yamlFiles(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new AmalgamException(dir + ": cannot list suites (" + e.getMessage() + ")", e);
        }
    }

    private static <T> T parse(Path f, Class<T> type) {
        try {
            return YAML.readValue(f.toFile(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new AmalgamException(f + ": bad " + type.getSimpleName() + " (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static <T> T resource(String path, Class<T> type) {
        try (InputStream in = SuiteCatalog.class.getResourceAsStream(RESOURCE_ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE_ROOT + path);
            }
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new IllegalStateException("bad built-in resource " + RESOURCE_ROOT + path, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
