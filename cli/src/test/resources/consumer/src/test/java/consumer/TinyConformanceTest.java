package consumer;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.Workloads;

/** The kit, against the consumer's own backend: every rule is a test. */
class TinyConformanceTest extends ExecutorConformance {

    @Override
    protected ExecutorProvider provider() {
        return new TinyProvider();
    }

    @Override
    protected Workloads workloads() {
        return Workloads.fake();
    }
}
