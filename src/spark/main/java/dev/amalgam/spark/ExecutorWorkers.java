package dev.amalgam.spark;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.run.Cell;
import dev.amalgam.run.CellWorker;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.RunRecipeParser;
import dev.amalgam.run.SuiteKinds;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cell workers of one executor JVM, kept between tasks so a suite (model, tokenizer, datasets) is
 * opened once per executor thread rather than once per cell. A suite holds one set of weights at a
 * time, so each worker serves one task at a time; concurrent tasks take (or open) another.
 */
final class ExecutorWorkers {
    private static final Map<String, Deque<Entry>> IDLE = new ConcurrentHashMap<>();

    private record Entry(CellWorker worker, Map<String, Cell> cells) {
    }

    /** A worker lent to one task. */
    static final class Lease {
        private final String key;
        private final Entry entry;

        private Lease(String key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        CellWorker worker() {
            return entry.worker();
        }

        Cell cell(String id) {
            Cell c = entry.cells().get(id);
            if (c == null) {
                throw new AmalgamException("cell " + id + " is not a cell of the recipe the executor expanded");
            }
            return c;
        }

        void release() {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
            Deque<Entry> idle = IDLE.get(key);
            synchronized (idle) {
                idle.push(entry);
            }
        }
    }

    private ExecutorWorkers() {
    }

    /** Closes every idle worker's suite (after an embedded run, whose executor is the driver's JVM). */
    static void closeAll() {
        for (Deque<Entry> idle : IDLE.values()) {
            synchronized (idle) {
                idle.forEach(e -> e.worker().close());
                idle.clear();
            }
        }
    }

    static Lease take(String recipeText, Path recipeFile, Path home, Path out, Device device) {
        String key = device + "\n" + out + "\n" + home + "\n" + recipeFile + "\n" + recipeText;
        Deque<Entry> idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (idle) {
            if (!idle.isEmpty()) {
                return new Lease(key, idle.pop());
            }
        }
        RunRecipe r = RunRecipeParser.parse(recipeText, recipeFile);
        // fresh=false: the driver already forgot the old cells when --fresh was given
        RunPlan plan = RunPlan.of(r, out, false);
        Map<String, Cell> cells = new LinkedHashMap<>();
        plan.cells().forEach(c -> cells.put(c.id(), c));
        CellWorker w = new CellWorker(plan, () -> SuiteKinds.open(r.suite(), home, r.file().toString(), device), true, device);
        return new Lease(key, new Entry(w, cells));
    }
}
