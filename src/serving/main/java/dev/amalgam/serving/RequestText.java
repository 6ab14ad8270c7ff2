package dev.amalgam.serving;

import ai.djl.modality.Input;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * The text of a DJL Serving request: the UTF-8 body, or its {@code "inputs"} string when the request is
 * JSON ({@code Content-Type: application/json}, as the Hugging Face handlers accept).
 */
final class RequestText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestText() {
    }

    static String of(Input input) {
        String body = input.getData().getAsString();
        String type = input.getProperty("Content-Type", input.getProperty("content-type", ""));
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return body;
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.path("inputs").isTextual()) {
                return n.get("inputs").asText();
            }
            if (n != null && n.isTextual()) {
                return n.asText();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not valid JSON: " + e.getMessage());
        }
        throw new IllegalArgumentException("JSON request needs {\"inputs\": \"text\"}");
    }
}
