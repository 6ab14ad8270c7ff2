package dev.amalgam.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Strict JSON parsing for checkpoint files: UTF-8 only, duplicate keys rejected, one-line errors. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** Decodes bytes as strict UTF-8 (malformed input is an error, not replaced). */
    public static String utf8(byte[] bytes, String where) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AmalgamException(where + " is not valid UTF-8");
        }
    }

    public static JsonNode parse(String text, String where) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AmalgamException(where + " is not valid JSON: " + oneLine(e.getOriginalMessage()));
        }
    }

    public static JsonNode readFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(utf8(bytes, file.toString()), file.toString());
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
