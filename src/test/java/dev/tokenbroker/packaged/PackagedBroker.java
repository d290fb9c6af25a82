package dev.tokenbroker.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar (prod profile) run as operators run it: a separate JVM configured by environment only. */
final class PackagedBroker implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    final int port;
    final int managementPort;

    private PackagedBroker(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** What the prod profile always needs: a Gafaelfawr (here plain HTTP, a stand-in) and the tests' PostgreSQL. */
    static Map<String, String> required(String gafaelfawrUrl) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("BROKER_GAFAELFAWR_URL", gafaelfawrUrl);
        env.put("BROKER_GAFAELFAWR_ADMIN_TOKEN", dev.tokenbroker.support.WireMockGafaelfawr.ADMIN_TOKEN);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", System.getProperty("test.database.jdbc-url"));
        env.put("QUARKUS_DATASOURCE_USERNAME", System.getProperty("test.database.username"));
        // WireMock speaks plain HTTP; a real Gafaelfawr is reached over HTTPS.
        env.put("BROKER_GAFAELFAWR_ALLOW_INSECURE", "true");
        return env;
    }

    /**
     * {@link #required} with the quotas lifted: for tests of something else, which share the
     * tests' database (and alice, their caller) with every packaged-jar test of the run.
     */
    static Map<String, String> withoutQuotas(String gafaelfawrUrl) {
        Map<String, String> env = required(gafaelfawrUrl);
        env.put("BROKER_QUOTA_ISSUANCES_PER_CALLER_PER_HOUR", "1000000");
        env.put("BROKER_QUOTA_ACTIVE_TOKENS_PER_BOT", "1000000");
        return env;
    }

    static PackagedBroker start(Map<String, String> environment) {
        Path jar = Path.of(System.getProperty("broker.packaged.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: run `./mvnw verify`, which packages it first");
        }
        int port = freePort();
        int managementPort = freePort();
        Path log;
        try {
            log = Files.createTempFile("packaged-broker", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A file, not a pipe: a pipe loses what the process writes as it exits.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        // Nothing from the developer's environment may configure the broker: only what the test names.
        builder.environment().keySet().removeIf(name -> name.startsWith("BROKER_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        try {
            return new PackagedBroker(builder.start(), log, port, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the broker listens; fails with its output if it exits or takes too long. */
    PackagedBroker awaitListening() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (output().contains("Listening on")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the packaged broker exited with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the packaged broker did not start within " + STARTUP + ":\n" + output());
    }

    /** Waits for the process to stop by itself (a refused configuration) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the packaged broker did not stop:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL, as the OOM killer or a lost node ends a process: nothing runs after it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM, as Kubernetes does, without waiting. */
    void terminate() {
        process.destroy();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged jar serves under this prefix (quarkus.http.root-path in the prod profile). */
    static final String ROOT_PATH = "/service-token-broker";

    String url(String path) {
        return "http://localhost:" + port + ROOT_PATH + path;
    }

    /** Health and metrics: the management interface, on its own port and outside the root path. */
    String managementUrl(String path) {
        return "http://localhost:" + managementPort + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
