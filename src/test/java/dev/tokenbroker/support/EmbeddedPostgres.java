package dev.tokenbroker.support;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A throw-away PostgreSQL server for the tests, from the binaries zonky publishes
 * on Maven Central, so that the README's test command needs no installed server.
 * zonky's own launcher cannot be used as is: PostgreSQL refuses to run as root,
 * and CI runs as root, so the server is started as {@code nobody} there.
 */
final class EmbeddedPostgres {

    private static final String NOBODY = "65534";

    private final Path binaries;
    private final Path data;
    private final boolean root;
    private final int port;

    private EmbeddedPostgres(Path binaries, Path data, boolean root, int port) {
        this.binaries = binaries;
        this.data = data;
        this.root = root;
        this.port = port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    static EmbeddedPostgres start() throws IOException, InterruptedException {
        boolean root = "0".equals(run(List.of("id", "-u"), null).strip());
        // Under /tmp, not the build folder: nobody must be able to reach it when running as root.
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "service-token-broker-postgres");
        Path binaries = extractOnce(base);
        Path data = Files.createTempDirectory(base, "data-");
        if (root) {
            run(List.of("chown", NOBODY + ":" + NOBODY, data.toString()), null);
        }
        EmbeddedPostgres server = new EmbeddedPostgres(binaries, data, root, freePort());
        server.pg("initdb", "-A", "trust", "-U", "postgres", "-D", data.toString(), "-E", "UTF-8", "--locale=C");
        server.pg("pg_ctl", "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + server.port + " -h 127.0.0.1 -k " + data + " -F -c max_connections=200", "start");
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    void stop() {
        try {
            pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "stop");
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e);
        }
    }

    private void pg(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command, data.getParent());
    }

    private static String run(List<String> command, Path directory) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    /** Unpacks the platform's PostgreSQL once per machine; later runs reuse it. */
    private static synchronized Path extractOnce(Path base) throws IOException {
        Files.createDirectories(base);
        base.toFile().setReadable(true, false);
        base.toFile().setExecutable(true, false);
        String system = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch").replace("amd64", "x86_64").replace("aarch64", "arm_64");
        Path target = base.resolve("pg-" + system + "-" + arch);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(base, "unpack-");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, arch);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(archive))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path file = staging.resolve(entry.getName()).normalize();
                if (!file.startsWith(staging)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(file.getParent());
                    Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(file, (entry.getMode() & 0100) != 0
                            ? EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
                                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                                    PosixFilePermission.OTHERS_EXECUTE)
                            : EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.values()));
            }
        }
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            // another JVM unpacked it first
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
