package dev.tokenbroker.packaged;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP relay to a real server whose every connection, open or future, can be cut at once: a network outage. */
final class CuttableRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private String database;

    /** A relay to the tests' PostgreSQL (system property test.database.jdbc-url). */
    static CuttableRelay toTestDatabase() {
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("^jdbc:postgresql://([^:/]+):(\\d+)/(.+)$")
                .matcher(System.getProperty("test.database.jdbc-url"));
        if (!url.matches()) {
            throw new IllegalStateException("the tests' database needs a plain jdbc:postgresql://host:port/db URL");
        }
        CuttableRelay relay = new CuttableRelay(url.group(1), Integer.parseInt(url.group(2)));
        relay.database = url.group(3);
        return relay;
    }

    /** The JDBC URL that reaches the tests' database through this relay (connections time out after 2 s). */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?connectTimeout=2";
    }

    private CuttableRelay(String host, int port) {
        try {
            listener = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket upstream = new Socket(host, port);
                    synchronized (sockets) {
                        sockets.add(client);
                        sockets.add(upstream);
                        if (listener.isClosed()) {
                            // Accepted while being cut: it must not outlive the cut.
                            closeAll();
                            return;
                        }
                    }
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes the listener and every relayed connection: new connections are refused, open ones break. */
    void cut() {
        close();
    }

    @Override
    public void close() {
        synchronized (sockets) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing is all that matters
            }
            closeAll();
        }
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the other side closed, or the relay was cut
            }
        }, "relay-pipe");
        copier.setDaemon(true);
        copier.start();
    }
}
