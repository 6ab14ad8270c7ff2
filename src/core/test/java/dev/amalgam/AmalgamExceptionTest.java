package dev.amalgam;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class AmalgamExceptionTest {
    @Test
    void messagesAreOneLineWithControlCharactersEscaped() {
        assertEquals("f.onnx: tensor 'a\\nb\\r\\u2028' has no data",
                new AmalgamException("f.onnx: tensor 'a\nb\r\u2028' has no data").getMessage());
        assertEquals("x\\u0085\\u2029 \\u0000\\u001b[31m\t", new AmalgamException("x\u0085\u2029 \u0000\u001b[31m\t",
                new RuntimeException()).getMessage());
        String plain = "bad.yaml: missing required key 'merge_method'";
        assertSame(plain, AmalgamException.oneLine(plain));
        assertNull(new AmalgamException(null).getMessage());
    }
}
