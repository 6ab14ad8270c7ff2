package dev.amalgam.serving;

import ai.djl.modality.Input;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestTextTest {

    static Input request(String contentType, String body) {
        Input in = new Input();
        if (contentType != null) {
            in.addProperty("Content-Type", contentType);
        }
        in.add(body.getBytes(StandardCharsets.UTF_8));
        return in;
    }

    @Test
    void plainBodyIsTheText() {
        assertEquals("{\"inputs\": \"x\"}", RequestText.of(request("text/plain", "{\"inputs\": \"x\"}")));
        assertEquals("héllo wörld", RequestText.of(request(null, "héllo wörld")));
    }

    @Test
    void jsonBodyGivesItsInputs() {
        assertEquals("win a cruise", RequestText.of(request("application/json; charset=utf-8",
                "{\"inputs\": \"win a cruise\", \"parameters\": {}}")));
        assertEquals("bare", RequestText.of(request("application/json", "\"bare\"")));
        assertThrows(IllegalArgumentException.class, () -> RequestText.of(request("application/json", "{\"text\": 1}")));
        assertThrows(IllegalArgumentException.class, () -> RequestText.of(request("application/json", "{oops")));
    }
}
