package dev.amalgam.merge.job;

import java.util.List;

/**
 * Adds engine methods to {@link MergeMethods} from a module above the merge core (the data-aware methods, which run
 * models on task data), found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.amalgam.merge.job.MergeMethodProvider}.
 */
public interface MergeMethodProvider {
    /** The methods, in the order {@code merge --help} and docs/merging.md list them. */
    List<MergeMethods.Entry> methods();
}
