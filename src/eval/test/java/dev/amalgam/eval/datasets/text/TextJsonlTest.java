package dev.amalgam.eval.datasets.text;

import dev.amalgam.train.TextExample;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextJsonlTest {

    @Test
    void writesOneObjectPerLineAndReadsItBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/x.jsonl");
        TextJsonl.write(f, List.of(new LabeledText("say \"hi\"\nCaf\u00e9 \\ \u2603", 3, "g"), new LabeledText("b", 0, "h")));
        assertEquals("{\"text\":\"say \\\"hi\\\"\\nCaf\u00e9 \\\\ \u2603\",\"label\":3}\n{\"text\":\"b\",\"label\":0}\n",
                Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of(new dev.amalgam.train.TextExample("say \"hi\"\nCaf\u00e9 \\ \u2603", 3), new dev.amalgam.train.TextExample("b", 0)),
                dev.amalgam.train.TextTask.readJsonl(f));
    }

    @Test
    void badLinesNameFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"text\":\"ok\",\"label\":1}\n{\"text\":\"no label\"}\n");
        AmalgamException e = assertThrows(AmalgamException.class, () -> dev.amalgam.train.TextTask.readJsonl(f));
        assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
        Files.writeString(f, "{not json\n");
        e = assertThrows(AmalgamException.class, () -> dev.amalgam.train.TextTask.readJsonl(f));
        assertTrue(e.getMessage().contains(f + ":1"), e.getMessage());
    }
}
