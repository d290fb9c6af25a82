package dev.tokenbroker.gafaelfawr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.metrics.BrokerMetrics;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The client names a fault by what happened on the wire, not by a class name:
 * nothing sent (refused, connect timeout) is UNREACHABLE; sent but unanswered in
 * time is TIMEOUT; a connection lost after sending is BAD_RESPONSE. Real sockets.
 */
@QuarkusTest
class FaultClassificationTest {

    static final ServiceTokenSpec SPEC = new ServiceTokenSpec("bot-faults", null, List.of("write:sasquatch"),
            Instant.now().plus(Duration.ofDays(1)));

    @Inject
    BrokerConfig config;

    @Inject
    AdminCredential admin;

    @Inject
    ObjectMapper json;

    @Inject
    BrokerMetrics metrics;

    GafaelfawrClient clientOf(int port) {
        BrokerConfig.Gafaelfawr real = config.gafaelfawr();
        BrokerConfig.Gafaelfawr gafaelfawr = (BrokerConfig.Gafaelfawr) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BrokerConfig.Gafaelfawr.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "url" -> URI.create("http://127.0.0.1:" + port);
                    case "connectTimeout" -> Duration.ofMillis(500);
                    case "readTimeout" -> Duration.ofMillis(700);
                    default -> method.invoke(real, args);
                });
        BrokerConfig broker = (BrokerConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BrokerConfig.class},
                (proxy, method, args) -> method.getName().equals("gafaelfawr") ? gafaelfawr : method.invoke(config, args));
        return new GafaelfawrClient(broker, admin, json, metrics);
    }

    GafaelfawrException.Fault faultOf(int port) {
        return assertThrows(GafaelfawrException.class, () -> clientOf(port).createServiceToken(SPEC)).fault();
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertEquals(GafaelfawrException.Fault.UNREACHABLE, faultOf(closed));
    }

    @Test
    void aConnectTimeoutIsUnreachable() throws IOException {
        // A listener that never accepts, with its backlog full: further connections are never completed.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(listener.getLocalSocketAddress(), 300);
                        filling.add(socket);
                    } catch (IOException backlogFull) {
                        socket.close();
                        break;
                    }
                }
                long start = System.nanoTime();
                assertEquals(GafaelfawrException.Fault.UNREACHABLE, faultOf(listener.getLocalPort()));
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
            } finally {
                for (Socket socket : filling) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void silenceAfterSendingIsATimeout() throws Exception {
        try (SilentServer server = new SilentServer(false)) {
            assertEquals(GafaelfawrException.Fault.TIMEOUT, faultOf(server.port()));
            assertTrue(server.received(), "the request was sent");
        }
    }

    @Test
    void aConnectionLostAfterSendingIsABadResponse() throws Exception {
        try (SilentServer server = new SilentServer(true)) {
            assertEquals(GafaelfawrException.Fault.BAD_RESPONSE, faultOf(server.port()));
            assertTrue(server.received(), "the request was sent");
        }
    }

    /** Accepts, reads the request, then either never answers or hangs up. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean received;

        SilentServer(boolean hangUp) throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = listener.accept();
                        open.add(socket);
                        byte[] buffer = new byte[8192];
                        if (socket.getInputStream().read(buffer) > 0) {
                            received = true;
                        }
                        if (hangUp) {
                            socket.close();
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        boolean received() {
            return received;
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
