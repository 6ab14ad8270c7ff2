package dev.amalgam.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Path;

/** Typed access to a Hugging Face config.json object (or a nested sub-config), with HF defaults. */
public final class HfConfig {
    private final JsonNode node;
    private final String where;

    public HfConfig(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new AmalgamException(where + ": expected a JSON object");
        }
        this.node = node;
        this.where = where;
    }

    public static HfConfig read(Path file) {
        try {
            return new HfConfig(new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            dev.amalgam.io.ModulatedDirectory.refuse(file.toAbsolutePath().getParent());
            throw new AmalgamException(file + ": cannot read config (" + e.getMessage() + ")", e);
        }
    }

    public JsonNode json() {
        return node;
    }

    public String where() {
        return where;
    }

    public boolean has(String key) {
        return node.hasNonNull(key);
    }

    public HfConfig sub(String key) {
        JsonNode n = node.get(key);
        return new HfConfig(n == null || n.isNull() ? new ObjectMapper().createObjectNode() : n, where + " " + key);
    }

    public int integer(String key, int dflt) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt()) {
            throw new AmalgamException(where + ": '" + key + "' must be an integer");
        }
        return n.asInt();
    }

    public int integer(String key) {
        if (!has(key)) {
            throw new AmalgamException(where + ": missing '" + key + "'");
        }
        return integer(key, 0);
    }

    public double number(String key, double dflt) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new AmalgamException(where + ": '" + key + "' must be a number");
        }
        return n.asDouble();
    }

    public String text(String key, String dflt) {
        JsonNode n = node.get(key);
        return n == null || n.isNull() ? dflt : n.asText();
    }

    public boolean bool(String key, boolean dflt) {
        JsonNode n = node.get(key);
        return n == null || n.isNull() ? dflt : n.asBoolean();
    }

    /** A token id that may be given as a number or a list (first element); -1 if absent. */
    public long tokenId(String key) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return -1;
        }
        if (n.isArray()) {
            return n.size() == 0 ? -1 : n.get(0).asLong();
        }
        return n.asLong();
    }
}
