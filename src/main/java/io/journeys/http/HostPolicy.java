package io.journeys.http;

import java.io.Serializable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which hosts calls may reach (the job's {@code http.allowedHosts}). With a list, only listed hosts (or
 * subdomains of a listed {@code *.example.com}); without one, any host. Either way, a host that resolves
 * to a private, loopback, link-local or otherwise local address is refused unless it is listed: a journey
 * author must not be able to reach the cluster's own network. The check runs on the resolved addresses.
 */
public final class HostPolicy implements Serializable {

    /** Resolves a host name to its addresses (DNS in production; a table in tests). */
    @FunctionalInterface
    public interface Resolver extends Serializable {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> allowedHosts;
    private final Resolver resolver;

    public HostPolicy(List<String> allowedHosts, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.resolver = resolver;
    }

    public static HostPolicy of(List<String> allowedHosts) {
        return new HostPolicy(allowedHosts, InetAddress::getAllByName);
    }

    /** Why a call to {@code host} is refused, or empty when it may go. */
    public Optional<String> refusal(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        boolean listed = isListed(name);
        if (!allowedHosts.isEmpty() && !listed) {
            return Optional.of("host " + name + " is not in http.allowedHosts");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            return Optional.of("host " + name + " does not resolve");
        }
        if (!listed) {
            for (InetAddress address : addresses) {
                if (isLocal(address)) {
                    return Optional.of("host " + name + " resolves to the local address " + address.getHostAddress()
                            + "; list it in http.allowedHosts to allow it");
                }
            }
        }
        return Optional.empty();
    }

    private boolean isListed(String host) {
        for (String allowed : allowedHosts) {
            if (allowed.equals(host) || allowed.startsWith("*.") && host.endsWith(allowed.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** Loopback, link-local, site-local (10/8, 172.16/12, 192.168/16), unique-local, carrier-grade NAT, any. */
    static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc; // fc00::/7
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // 100.64.0.0/10
    }
}
