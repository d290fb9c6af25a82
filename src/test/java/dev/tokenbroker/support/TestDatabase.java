package dev.tokenbroker.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Chooses the tests' database before any test starts: the server named by
 * {@code test.database.jdbc-url} when given (-Ppostgresql), H2 when the build asks
 * for it (-Ph2), and otherwise an embedded PostgreSQL started for this test JVM.
 * The choice reaches Quarkus (and the packaged-jar tests) as system properties.
 */
public class TestDatabase implements LauncherSessionListener {

    private static boolean chosen;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (chosen) {
            return;
        }
        chosen = true;
        if ("h2".equals(System.getProperty("quarkus.datasource.db-kind"))) {
            return;
        }
        String given = System.getProperty("test.database.jdbc-url", "");
        if (!given.isBlank() && !given.startsWith("${")) {
            use(given, System.getProperty("test.database.username", "postgres"));
            return;
        }
        try {
            use(EmbeddedPostgres.start().jdbcUrl(), "postgres");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL for the tests", e);
        }
    }

    private static void use(String jdbcUrl, String username) {
        System.setProperty("test.database.jdbc-url", jdbcUrl);
        System.setProperty("test.database.username", username);
        System.setProperty("quarkus.datasource.jdbc.url", jdbcUrl);
        System.setProperty("quarkus.datasource.username", username);
    }
}
