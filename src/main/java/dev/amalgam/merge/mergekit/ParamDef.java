package dev.amalgam.merge.mergekit;

/**
 * One parameter of a MergeKit-family method, declared once: the recipe resolver, {@code merge --help}
 * and the parameter tables in docs/mergekit.md all read these declarations.
 *
 * @param name     the recipe key
 * @param perModel true for MergeKit "tensor parameters" (given per model), false for global ones
 * @param type     the value's type
 * @param fallback the default, or null when the parameter is required (or optional without default)
 * @param required whether a missing value is an error
 * @param doc      a one-line description
 */
public record ParamDef(String name, boolean perModel, Type type, Object fallback, boolean required, String doc) {

    public enum Type { NUMBER, INTEGER, BOOLEAN }

    public static ParamDef global(String name, Type type, Object fallback, String doc) {
        return new ParamDef(name, false, type, fallback, false, doc);
    }

    public static ParamDef requiredGlobal(String name, Type type, String doc) {
        return new ParamDef(name, false, type, null, true, doc);
    }

    public static ParamDef perModel(String name, Type type, Object fallback, String doc) {
        return new ParamDef(name, true, type, fallback, false, doc);
    }

    public static ParamDef requiredPerModel(String name, Type type, String doc) {
        return new ParamDef(name, true, type, null, true, doc);
    }

    /** "1.0", "required" or "none" for tables. */
    public String defaultLabel() {
        return required ? "required" : fallback == null ? "none" : fallback.toString();
    }
}
