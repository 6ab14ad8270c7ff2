package dev.amalgam.merge.job;

import dev.amalgam.merge.lwptv.Lwptv;

import java.util.List;
import java.util.Locale;

/** The LwPTV saliency matrix and masks as CSV (rows = tasks, columns = layers). */
public final class LwptvTables {
    private LwptvTables() {
    }

    public static String csv(Lwptv l, boolean masks) {
        StringBuilder sb = new StringBuilder("task");
        List<String> layers = l.layerNames();
        for (String layer : layers) {
            sb.append(',').append(layer);
        }
        sb.append('\n');
        List<String> tasks = l.taskNames();
        for (int t = 0; t < tasks.size(); t++) {
            sb.append(tasks.get(t));
            for (int c = 0; c < layers.size(); c++) {
                sb.append(',');
                sb.append(masks ? (l.masks()[t][c] ? "1" : "0") : String.format(Locale.ROOT, "%.6g", l.saliency()[t][c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
