package dev.amalgam.merge;

/**
 * One parameter of a merge method, declared once: the readers of recipes and flags, {@code merge --help}
 * and the parameter tables in docs/merging.md and docs/mergekit.md all read these declarations.
 *
 * @param name     the recipe key
 * @param perModel true for MergeKit "tensor parameters" (given per model), false for global ones
 * @param type     the value's type
 * @param fallback the default, or null when the parameter is required, optional without default, or its
 *                 default depends on other parameters ({@code defaultText} then says how)
 * @param required whether a missing value is an error
 * @param doc      a one-line description
 * @param defaultText the default as shown in help and docs when it is not simply {@code fallback}, else null
 */
public record ParamDef(String name, boolean perModel, Type type, Object fallback, boolean required, String doc,
                       String defaultText) {

    /** NUMBERS: one number per task (a list), or one number for all; TEXTS: a list of strings. */
    public enum Type { NUMBER, INTEGER, BOOLEAN, TEXT, NUMBERS, TEXTS }

    public static ParamDef global(String name, Type type, Object fallback, String doc) {
        return new ParamDef(name, false, type, fallback, false, doc, null);
    }

    /** A global parameter whose default depends on other parameters; {@code defaultText} says how. */
    public static ParamDef depending(String name, Type type, String defaultText, String doc) {
        return new ParamDef(name, false, type, null, false, doc, defaultText);
    }

    public static ParamDef requiredGlobal(String name, Type type, String doc) {
        return new ParamDef(name, false, type, null, true, doc, null);
    }

    public static ParamDef perModel(String name, Type type, Object fallback, String doc) {
        return new ParamDef(name, true, type, fallback, false, doc, null);
    }

    public static ParamDef requiredPerModel(String name, Type type, String doc) {
        return new ParamDef(name, true, type, null, true, doc, null);
    }

    /** "1.0", "required", "none" or the dependent default's text, for tables. */
    public String defaultLabel() {
        return defaultText != null ? defaultText : required ? "required" : fallback == null ? "none" : fallback.toString();
    }
}
