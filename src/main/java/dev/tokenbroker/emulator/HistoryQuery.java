package dev.tokenbroker.emulator;

import dev.tokenbroker.time.EpochOrIso;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The filters and page of GET /history/token-changes, validated as Gafaelfawr does. */
final class HistoryQuery {

    private static final Pattern CURSOR = Pattern.compile("^p?[0-9]+_[0-9]+$");

    final List<Map<String, Object>> errors = new ArrayList<>();
    Integer limit;
    String cursor;
    private final List<Predicate<HistoryEntry>> filters = new ArrayList<>();

    static HistoryQuery read(MultivaluedMap<String, String> query) {
        HistoryQuery parsed = new HistoryQuery();
        parsed.exact(query, "username", HistoryEntry::username);
        parsed.exact(query, "actor", HistoryEntry::actor);
        parsed.exact(query, "key", HistoryEntry::key);
        parsed.exact(query, "token_type", HistoryEntry::tokenType);
        parsed.time(query, "since", true);
        parsed.time(query, "until", false);
        parsed.ipAddress(query.getFirst("ip_address"));
        String cursor = query.getFirst("cursor");
        if (cursor != null) {
            if (CURSOR.matcher(cursor).matches()) {
                parsed.cursor = cursor;
            } else {
                parsed.error("string_pattern_mismatch", "String should match pattern '" + CURSOR.pattern() + "'", "cursor");
            }
        }
        String limit = query.getFirst("limit");
        if (limit != null) {
            try {
                parsed.limit = Integer.parseInt(limit);
                if (parsed.limit < 1) {
                    parsed.error("greater_than_equal", "Input should be greater than or equal to 1", "limit");
                }
            } catch (NumberFormatException e) {
                parsed.error("int_parsing", "Input should be a valid integer", "limit");
            }
        }
        return parsed;
    }

    boolean matches(HistoryEntry entry) {
        return filters.stream().allMatch(f -> f.test(entry));
    }

    private void exact(MultivaluedMap<String, String> query, String name, java.util.function.Function<HistoryEntry, String> field) {
        String value = query.getFirst(name);
        if (value != null) {
            filters.add(entry -> value.equals(field.apply(entry)));
        }
    }

    private void time(MultivaluedMap<String, String> query, String name, boolean lowerBound) {
        String value = query.getFirst(name);
        if (value == null) {
            return;
        }
        java.util.Optional<java.time.Instant> read = EpochOrIso.parse(value);
        if (read.isEmpty()) {
            error("datetime_from_date_parsing", "Input should be a valid datetime", name);
            return;
        }
        long seconds = read.get().getEpochSecond();
        filters.add(lowerBound ? entry -> entry.eventTime() >= seconds : entry -> entry.eventTime() <= seconds);
    }

    private void ipAddress(String value) {
        if (value == null) {
            return;
        }
        try {
            String[] parts = value.split("/", 2);
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (!parts[0].matches("^[0-9a-fA-F:.]+$") || bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException();
            }
            filters.add(entry -> inNetwork(entry.ipAddress(), network, bits));
        } catch (IllegalArgumentException | UnknownHostException e) {
            error("value_error", "Value error, Invalid IP address or CIDR block", "ip_address");
        }
    }

    private static boolean inNetwork(String address, byte[] network, int bits) {
        try {
            byte[] candidate = InetAddress.getByName(address).getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - bits;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void error(String type, String msg, String parameter) {
        errors.add(UpstreamError.item(type, msg, List.of("query", parameter)));
    }
}
