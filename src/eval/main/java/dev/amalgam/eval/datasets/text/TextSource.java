package dev.amalgam.eval.datasets.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One installed raw corpus that becomes one task of the text suite. */
public interface TextSource {

    /** Task name, also the output sub-directory. */
    String taskName();

    /** Throws {@link dev.amalgam.AmalgamException} naming the missing path and how to install it. */
    void requireInstalled();

    /** The raw files this source reads, in a stable order (their names and sizes key the build cache). */
    List<Path> inputFiles() throws IOException;

    /** Parses the raw files; every text is normalised and cut to {@code maxChars}. */
    RawTask load(int maxChars) throws IOException;
}
