package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Appends stop taking a lock: a record is inserted with an entry number from a
 * sequence and queued in audit_unsealed; the sealer links queued records into
 * audit_chain in batches (one replica at a time), as a Certificate Transparency
 * log sequences and integrates entries. Records already chained keep their
 * position (their entry number equals it) and their hashes, which move to
 * audit_chain. Java, not SQL, because the sequence must start after the highest
 * entry and the column default is written differently on H2 and PostgreSQL.
 */
public class V3__Seal_in_batches extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        boolean postgresql = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE audit_chain ("
                    + " seq BIGINT NOT NULL PRIMARY KEY,"
                    + " event_id VARCHAR(36) NOT NULL UNIQUE,"
                    + " prev_hash CHAR(64) NOT NULL,"
                    + " hash CHAR(64) NOT NULL,"
                    + " sealed_at BIGINT NOT NULL)");
            sql.execute("INSERT INTO audit_chain (seq, event_id, prev_hash, hash, sealed_at)"
                    + " SELECT seq, id, prev_hash, hash, event_time FROM audit_event");
            sql.execute("ALTER TABLE audit_event DROP COLUMN prev_hash");
            sql.execute("ALTER TABLE audit_event DROP COLUMN hash");
            sql.execute("CREATE TABLE audit_unsealed ("
                    + " entry BIGINT NOT NULL PRIMARY KEY,"
                    + " event_id VARCHAR(36) NOT NULL UNIQUE)");
            long next;
            try (ResultSet row = sql.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_event")) {
                row.next();
                next = row.getLong(1);
            }
            sql.execute("CREATE SEQUENCE audit_entry_seq START WITH " + next);
            sql.execute("ALTER TABLE audit_event ALTER COLUMN seq SET DEFAULT "
                    + (postgresql ? "nextval('audit_entry_seq')" : "NEXT VALUE FOR audit_entry_seq"));
        }
    }
}
