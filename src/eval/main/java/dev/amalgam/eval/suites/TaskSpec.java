package dev.amalgam.eval.suites;

import java.util.List;

/** One classification task: class names in label order and CLIP prompt templates ("{}" = class name). */
public record TaskSpec(String name, String source, int numClasses, List<String> templates, List<String> classes) {

    public TaskSpec {
        templates = List.copyOf(templates);
        classes = List.copyOf(classes);
        if (numClasses != classes.size()) {
            throw new IllegalArgumentException(name + ": num_classes " + numClasses + " but " + classes.size() + " classes");
        }
    }
}
