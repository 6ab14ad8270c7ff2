package dev.amalgam.spark;

import dev.amalgam.AmalgamException;
import org.apache.spark.SparkConf;

import java.io.File;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SparkConf of a run: the master, the user's {@code --spark-conf} settings (over spark-submit's, which
 * arrive as system properties), and the defaults Amalgam needs (docs/spark.md).
 */
final class SparkSettings {
    /** Which task resource holds a task's GPU (Spark's resource name; "gpu" unless set). */
    static final String GPU_RESOURCE = "spark.amalgam.gpu.resource";
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|\\d+)(,\\d+)?])?|local-cluster\\[\\d+,\\d+,\\d+]|spark://.+|yarn|k8s://.+");

    private SparkSettings() {
    }

    static SparkConf of(String master, Map<String, String> user) {
        if (!MASTER.matcher(master).matches()) {
            throw new AmalgamException("--spark: '" + master + "' is not a Spark master; use local[*], local[N], "
                    + "spark://HOST:PORT, yarn or k8s://URL");
        }
        String submitted = System.getProperty("spark.master");
        if (submitted != null && !submitted.equals(master)) {
            throw new AmalgamException("--spark " + master + " differs from spark-submit's --master " + submitted);
        }
        SparkConf conf = new SparkConf(true).setMaster(master);
        user.forEach(conf::set);
        boolean local = master.startsWith("local");
        if (local) {
            // nothing leaves this machine: bind the driver to loopback (offline hosts have no routable address)
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        } else if (!conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath")) {
            // started from the launcher: executors fetch Amalgam's jars (not Spark's) from the driver
            conf.set("spark.jars", appJars());
        }
        // a second attempt running while the first still does would merge into the same merges/<id> directory
        if (conf.getBoolean("spark.speculation", false)) {
            throw new AmalgamException("--spark-conf spark.speculation=true: Amalgam cells must not run twice at once; "
                    + "leave speculation off (failed tasks are still retried)");
        }
        conf.setIfMissing("spark.executor.extraJavaOptions", "-Dai.djl.offline=true");
        // the launcher's allocator settings (docs/performance.md) for the executors too
        for (String v : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_ARENA_MAX"}) {
            if (System.getenv(v) != null) {
                conf.setIfMissing("spark.executorEnv." + v, System.getenv(v));
            }
        }
        return conf;
    }

    /** The driver's class path without Spark's own jars (the launcher's spark-lib folder). */
    private static String appJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.endsWith(".jar") && !p.contains(File.separator + "spark-lib" + File.separator))
                .collect(Collectors.joining(","));
    }
}
