package dev.amalgam.eval.datasets.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentenceChunkerTest {

    @Test
    void splitsAtSentenceEndsButNotAfterAbbreviationsOrInitials() {
        String text = "Mr. Speaker, the U.S. Congress met. Franklin D. Roosevelt spoke! Was it \"good?\" Yes. "
                + "We spent 3.5 billion dollars.";
        assertEquals(List.of("Mr. Speaker, the U.S. Congress met.", "Franklin D. Roosevelt spoke!",
                "Was it \"good?\"", "Yes.", "We spent 3.5 billion dollars."), SentenceChunker.sentences(text));
    }

    @Test
    void groupsUpToThreeSentencesOrTargetLengthAndDropsShortChunks() {
        SentenceChunker chunker = new SentenceChunker(3, 40, 15);
        String text = "One two. Three four. Five six. A much longer sentence that passes the target. Seven. Tiny.";
        assertEquals(List.of("One two. Three four. Five six.", "A much longer sentence that passes the target."),
                chunker.chunks(text));
    }
}
