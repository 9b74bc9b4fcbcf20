package dev.taskexec.agent.tls;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A manager's swarm port, {@code host:port} (an IPv6 host in brackets: {@code [::1]:2377}).
 *
 * @param host name or IP literal (without brackets)
 * @param port 1..65535
 */
@API(status = INTERNAL, since = "0.1")
public record ManagerAddress(String host, int port) {

    public ManagerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("manager address has no host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("manager port must be 1..65535, was " + port);
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException naming the address and what is wrong with it
     */
    public static ManagerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(
                    "manager address is empty; expected host:port such as 127.0.0.1:2377");
        }
        String address = text.strip();
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException(
                    "manager address '" + address + "' must be host:port, such as 127.0.0.1:2377");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(
                    "manager address '"
                            + address
                            + "': write an IPv6 host in brackets, such as [::1]:2377");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "manager address '" + address + "' has a port that is not a number");
        }
        try {
            return new ManagerAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "manager address '" + address + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
