package dev.amalgam.spark;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: one master and N workers, each its own JVM started from
 * the Spark jars on this test's class path (org.apache.spark.deploy.master.Master / worker.Worker), one
 * core each, so every worker runs one executor with one task at a time.
 */
final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final String classPath;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final int port;
    private final int ui;

    private LocalCluster(Path dir) throws IOException {
        this.dir = dir;
        this.classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        this.port = freePort();
        this.ui = freePort();
        // a worker builds executor command lines from SPARK_HOME/jars (empty here: the jars come with
        // spark.executor.extraClassPath); without the folder it refuses to launch them
        Files.createDirectories(dir.resolve("spark-home/jars"));
    }

    static LocalCluster start(Path dir, int workers) throws IOException, InterruptedException {
        LocalCluster c = new LocalCluster(dir);
        try {
            c.processes.add(c.jvm("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(c.port), "--webui-port", Integer.toString(c.ui)));
            for (int i = 0; i < workers; i++) {
                Path work = dir.resolve("worker" + i);
                Files.createDirectories(work);
                Process w = c.jvm("worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "2g", "--work-dir", work.toString(),
                        "--webui-port", Integer.toString(freePort()), c.master());
                c.processes.add(w);
                c.workers.add(w);
            }
            c.awaitWorkers(workers, 180_000);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    String master() {
        return "spark://127.0.0.1:" + port;
    }

    /** For spark.executor.extraClassPath: the executors run this test's classes and jars. */
    String classPath() {
        return classPath;
    }

    /** Worker i's work directory (it holds one folder per executor it launched: APP/EXECUTOR_ID). */
    Path workDir(int i) {
        return dir.resolve("worker" + i);
    }

    /** Whether worker i launched the executor with this id. */
    boolean launched(int i, String executorId) throws IOException {
        if (!Files.isDirectory(workDir(i))) {
            return false;
        }
        try (Stream<Path> apps = Files.list(workDir(i))) {
            return apps.anyMatch(app -> Files.isDirectory(app.resolve(executorId)));
        }
    }

    /** Kills worker i and the executor JVMs it started, at once (SIGKILL), as a machine failure would. */
    void kill(int i) {
        Process w = workers.get(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    private Process jvm(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitWorkers(int n, long millis) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + millis;
        String state = "";
        while (System.currentTimeMillis() < end) {
            state = masterState();
            if (state.replaceAll("\\s", "").contains("\"aliveworkers\":" + n)) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited: " + log("master") + "\n" + log("worker0"));
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no " + n + " workers after " + millis / 1000 + " s: " + state + "\n" + log("master"));
    }

    private String masterState() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + ui + "/json/").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    String log(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no " + name + " log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
