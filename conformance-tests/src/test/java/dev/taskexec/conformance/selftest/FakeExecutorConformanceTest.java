package dev.taskexec.conformance.selftest;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;

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

    @Override
    protected ResourceProbe resources() {
        return backend.probe();
    }
}
