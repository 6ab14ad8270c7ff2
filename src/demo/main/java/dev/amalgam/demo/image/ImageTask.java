package dev.amalgam.demo.image;

import dev.amalgam.eval.datasets.synthetic.Shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * The four tasks of the image suite: class names, prompt templates (word-level, no punctuation, as
 * the tokenizer splits on whitespace) and the name of each task's natural OOD split.
 */
public enum ImageTask {
    FASHION("fashion", List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
            "Bag", "Ankle boot"),
            List.of("a photo of a {}", "a photo of the {}", "a black and white photo of a {}", "a centered photo of a {}"),
            "reframed"),
    FONT_DIGITS("font_digits", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of("a photo of the number {}", "the digit {}", "an image of the digit {}", "a rendered digit {}"),
            "handwritten"),
    FONT_LETTERS("font_letters", List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J"),
            List.of("a photo of the letter {}", "the letter {}", "an image of the letter {}", "a rendered letter {}"),
            "held_out_fonts"),
    SHAPES("shapes", Shapes.CLASSES,
            List.of("a photo of a {}", "a drawing of a {}", "a {} shape", "an image of a {}"),
            "outlined");

    /** All 26 letters: pretraining sees letters beyond font_letters' A–J. */
    public static final List<String> ALL_LETTERS = letters();

    private final String id;
    private final List<String> classNames;
    private final List<String> templates;
    private final String naturalOod;

    ImageTask(String id, List<String> classNames, List<String> templates, String naturalOod) {
        this.id = id;
        this.classNames = classNames;
        this.templates = templates;
        this.naturalOod = naturalOod;
    }

    public String id() {
        return id;
    }

    public List<String> classNames() {
        return classNames;
    }

    public List<String> templates() {
        return templates;
    }

    /** Name of the natural-shift OOD split (the corruptions are the other OOD protocol). */
    public String naturalOod() {
        return naturalOod;
    }

    public static ImageTask byId(String id) {
        for (ImageTask t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new dev.amalgam.AmalgamException("unknown image task '" + id + "' (known: fashion, font_digits, "
                + "font_letters, shapes)");
    }

    private static List<String> letters() {
        List<String> l = new ArrayList<>();
        for (char c = 'A'; c <= 'Z'; c++) {
            l.add(String.valueOf(c));
        }
        return List.copyOf(l);
    }
}
