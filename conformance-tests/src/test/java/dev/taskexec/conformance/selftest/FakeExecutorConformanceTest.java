package dev.taskexec.conformance.selftest;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fake backend passes the whole kit, as a backend author would run it: by
 * extending {@link ExecutorConformance}.
 */
class FakeExecutorConformanceTest extends ExecutorConformance {

    private final FakeBackend backend = FakeBackend.healthy();

    @Override
    protected ExecutorProvider provider() {
        return backend;
    }

    @Override
    protected Workloads workloads() {
        return Workloads.fake();
    }

    /** The fake offers every capability, including rejecting changed specs, and is held to all of them. */
    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    protected ResourceProbe resources() {
        return backend.probe();
    }
}
