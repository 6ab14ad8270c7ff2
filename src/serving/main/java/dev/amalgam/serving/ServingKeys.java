package dev.amalgam.serving;

/** Keys Amalgam writes to {@code serving.properties}; DJL passes non-{@code option.} keys to the factories. */
public final class ServingKeys {
    public static final String FILE = "serving.properties";
    /** Which Amalgam block to build (a {@link ServingKind} id). */
    public static final String KIND = "amalgam_kind";
    /** Tokens generated per request (text generation). */
    public static final String MAX_NEW_TOKENS = "max_new_tokens";
    /** Tokenizer truncation length (text classification). */
    public static final String MAX_LENGTH = "max_length";
    /** Task-head files written next to the weights. */
    public static final String HEAD_FILE = "head.safetensors";
    public static final String HEAD_JSON = "head.json";

    private ServingKeys() {
    }

    static int intArg(java.util.Map<String, ?> args, String key, int dflt) {
        Object v = args.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(FILE + ": " + key + " must be an integer, got '" + v + "'");
        }
    }
}
