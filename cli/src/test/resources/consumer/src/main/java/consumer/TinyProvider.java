package consumer;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.executor.fake.FakeExecutorProvider;
import java.util.Map;

/** The consumer's own backend "tiny": scripted tasks, built on the fake backend. */
public final class TinyProvider implements ExecutorProvider {

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String description() {
        return "the consumer's own backend";
    }

    @Override
    public Executor create(Map<String, String> options) throws Exception {
        return new FakeExecutorProvider().create(options);
    }
}
