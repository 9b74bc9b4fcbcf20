package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.InternetProtocol;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds a host port that is already taken before the container is created, so a port conflict
 * rejects the task instead of failing it at start.
 *
 * <p>Only meaningful when the engine runs on this host (a {@code unix://} address). It is a check,
 * not a reservation: a port taken between the check and the start still fails the start, with the
 * engine's message.
 */
final class HostPortProbe {

    private HostPortProbe() {}

    /** Whether binding {@code port} on every local address fails because something holds it. */
    static boolean inUse(int port, InternetProtocol protocol) {
        try {
            switch (protocol) {
                case TCP -> {
                    try (ServerSocket s = new ServerSocket()) {
                        s.setReuseAddress(true);
                        s.bind(new InetSocketAddress(port));
                    }
                }
                case UDP -> {
                    try (DatagramSocket s = new DatagramSocket(null)) {
                        s.bind(new InetSocketAddress(port));
                    }
                }
                default -> {
                    return false; // no portable way to probe SCTP; the engine will say
                }
            }
            return false;
        } catch (BindException e) {
            // "Permission denied" for a privileged port is not a conflict; the engine binds as
            // root.
            return e.getMessage() != null && e.getMessage().contains("in use");
        } catch (IOException e) {
            return false;
        }
    }
}
