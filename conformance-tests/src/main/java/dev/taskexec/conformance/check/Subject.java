package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The backend under test and everything the kit needs to exercise it.
 *
 * @param provider     the backend's provider
 * @param options      the options every executor is created with
 * @param workloads    how to express the kit's workloads for this backend
 * @param capabilities the optional capabilities the backend declares
 * @param probe        what the kit can see of the backend's resources
 * @param settings     example counts, seed and deadlines
 */
@API(status = INTERNAL, since = "0.1")
public record Subject(
        ExecutorProvider provider,
        Map<String, String> options,
        Workloads workloads,
        Set<Capability> capabilities,
        ResourceProbe probe,
        KitSettings settings) {

    /**
     * Copies {@code options} and {@code capabilities}. The messages name the
     * {@link dev.taskexec.conformance.ExecutorConformance} hook that returned null.
     *
     * @throws NullPointerException if any component, or an entry of {@code options} or
     *                              {@code capabilities}, is null
     */
    public Subject {
        Objects.requireNonNull(provider, "provider() returned null");
        Objects.requireNonNull(workloads, "workloads() returned null");
        Objects.requireNonNull(probe, "resources() returned null");
        Objects.requireNonNull(settings, "settings");
        options = Map.copyOf(Objects.requireNonNull(options, "options() returned null"));
        capabilities =
                Set.copyOf(Objects.requireNonNull(capabilities, "capabilities() returned null"));
    }
}
