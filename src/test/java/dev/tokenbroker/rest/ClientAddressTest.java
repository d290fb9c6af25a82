package dev.tokenbroker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenbroker.config.InvalidConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    final ClientAddress addresses = new ClientAddress(List.of("10.0.0.0/8", "127.0.0.1/32"));

    @Test
    void aTrustedProxyForwardsTheClient() {
        assertEquals("203.0.113.7", addresses.resolve("10.1.2.3", "203.0.113.7"));
        assertEquals("203.0.113.7", addresses.resolve("10.1.2.3", "198.51.100.1, 203.0.113.7"));
        assertEquals("2001:db8:0:0:0:0:0:1", addresses.resolve("127.0.0.1", " 2001:db8::1 "));
    }

    @Test
    void anyOtherPeerIsTheClientWhateverItClaims() {
        assertEquals("198.51.100.9", addresses.resolve("198.51.100.9", "203.0.113.7"));
    }

    @Test
    void somethingOtherThanAnAddressIsIgnored() {
        for (String junk : List.of("", " ", "unknown", "data.example.org", "999.1.1.1", "203.0.113.7:80", ",", "a".repeat(5000))) {
            assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", junk), junk);
        }
        assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", null));
    }

    @Test
    void aMalformedRangeStopsStartupNamingTheKey() {
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> new ClientAddress(List.of("ten-dot-something")));
        assertEquals(true, refused.getMessage().contains("broker.http.trusted-proxies"));
    }
}
