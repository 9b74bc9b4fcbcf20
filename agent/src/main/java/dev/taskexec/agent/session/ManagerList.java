package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.WeightedPeer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The managers the session may register with, in the order it tries them: the initial addresses
 * until a session message names the swarm's managers, then those, the highest weight first. A
 * manager that failed goes to the back, so the next attempt fails over to another one.
 *
 * <p>Thread-safe.
 */
final class ManagerList {

    private final List<String> order = new ArrayList<>();

    ManagerList(List<String> initial) {
        if (initial.isEmpty()) {
            throw new IllegalArgumentException("at least one manager address is needed");
        }
        for (String address : initial) {
            add(checked(address));
        }
    }

    static String checked(String address) {
        Objects.requireNonNull(address, "manager address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException(
                    "manager address '" + address + "' is not host:port");
        }
        return address;
    }

    private void add(String address) {
        if (!order.contains(address)) {
            order.add(address);
        }
    }

    /** The manager to try next. */
    synchronized String next() {
        return order.get(0);
    }

    /** Moves {@code address} to the back, so that the next attempt goes elsewhere. */
    synchronized void failed(String address) {
        if (order.size() > 1 && order.remove(address)) {
            order.add(address);
        }
    }

    /**
     * Replaces the list with the managers a session message named, the highest weight first; the
     * manager the session is connected to ({@code current}) stays first so that a list refresh does
     * not move a healthy session. An empty list (or one without usable addresses) changes nothing.
     */
    synchronized void replace(List<WeightedPeer> managers, String current) {
        List<WeightedPeer> sorted = new ArrayList<>(managers);
        sorted.sort(Comparator.comparingLong(WeightedPeer::getWeight).reversed());
        List<String> next = new ArrayList<>();
        for (WeightedPeer peer : sorted) {
            String address = peer.getPeer().getAddr();
            int colon = address.lastIndexOf(':');
            if (colon > 0 && colon < address.length() - 1 && !next.contains(address)) {
                next.add(address);
            }
        }
        if (next.isEmpty()) {
            return;
        }
        if (next.remove(current)) {
            next.add(0, current);
        }
        order.clear();
        order.addAll(next);
    }

    synchronized List<String> snapshot() {
        return List.copyOf(order);
    }
}
