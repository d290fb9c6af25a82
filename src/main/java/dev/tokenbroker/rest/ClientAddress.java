package dev.tokenbroker.rest;

import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.config.InvalidConfigurationException;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import dev.tokenbroker.service.RequestContext;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Who the client is, for the audit: the peer, or, when the peer is a trusted
 * proxy (the ingress; {@code broker.http.trusted-proxies}), the address it
 * forwards in {@code X-Forwarded-For}. Only IP literals are read, never names,
 * so no header value can stall or break a request. (Quarkus's own forwarding
 * support hung on an empty X-Forwarded-Host and answered 500 with a stack trace
 * on a malformed X-Forwarded-Proto; the broker needs neither host nor scheme: its
 * links are relative.)
 */
@ApplicationScoped
public class ClientAddress {

    private final List<IpSubnetFilterRule> trusted;

    @Inject
    public ClientAddress(BrokerConfig config) {
        this(config.http().trustedProxies());
    }

    ClientAddress(List<String> trustedProxies) {
        try {
            this.trusted = trustedProxies.stream()
                    .map(cidr -> new IpSubnetFilterRule(cidr.strip(), IpFilterRuleType.ACCEPT)).toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("broker.http.trusted-proxies",
                    "each entry must be an address range such as 10.0.0.0/8 (" + e.getMessage() + ")");
        }
    }

    public String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? null
                : resolve(request.remoteAddress().hostAddress(), request.getHeader("X-Forwarded-For"));
    }

    String resolve(String peer, String forwardedFor) {
        InetAddress peerAddress = peer == null ? null : NetUtil.createInetAddressFromIpAddressString(peer);
        if (peerAddress == null || forwardedFor == null || !trusted(peerAddress)) {
            return peer;
        }
        // The hop the trusted proxy itself saw: the rightmost entry (ingress-nginx sends the client alone).
        String[] hops = forwardedFor.split(",", -1);
        InetAddress client = NetUtil.createInetAddressFromIpAddressString(hops[hops.length - 1].strip());
        return client == null ? peer : client.getHostAddress();
    }

    private boolean trusted(InetAddress peer) {
        InetSocketAddress address = new InetSocketAddress(peer, 0);
        return trusted.stream().anyMatch(rule -> rule.matches(address));
    }

    /** Who asked and from where, for the audit record of a change. */
    public RequestContext context(String requestId, HttpServerRequest request) {
        return new RequestContext(requestId, of(request), request.getHeader(HttpHeaders.USER_AGENT));
    }
}
