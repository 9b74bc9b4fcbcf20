package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.Task;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.FakeExecutor;
import dev.taskexec.executor.fake.FakeExecutorProvider;
import dev.taskexec.executor.fake.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A provider of fake executors, healthy or broken by one {@link Interceptor} or controller wrapper, that
 * remembers every executor it made so that its {@link #probe()} can ask them what
 * they still hold for a task ({@link FakeExecutor#leaks()}).
 */
final class FakeBackend implements ExecutorProvider {

    private final String name;
    private final Interceptor interceptor;
    private final Function<? super FakeController, ? extends Controller> wrapper;
    private final List<FakeExecutor> made = new CopyOnWriteArrayList<>();

    private FakeBackend(String name, Interceptor interceptor,
            Function<? super FakeController, ? extends Controller> wrapper) {
        this.name = name;
        this.interceptor = interceptor;
        this.wrapper = wrapper;
    }

    /** The fake as it ships. */
    static FakeBackend healthy() {
        return new FakeBackend("fake", null, null);
    }

    /** The fake with controllers that offer no optional capability (no logs, no status). */
    static FakeBackend withPlainControllers() {
        return new FakeBackend("fake-plain", null, PlainController::new);
    }

    /** The fake with one deliberate bug. */
    static FakeBackend broken(String name, Interceptor bug) {
        return new FakeBackend(name, bug, null);
    }

    /** The fake with one deliberate bug in a method an interceptor cannot reach (it sees no arguments). */
    static FakeBackend brokenBy(String name, Function<? super FakeController, ? extends Controller> bug) {
        return new FakeBackend(name, null, bug);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return interceptor == null && wrapper == null ? "the fake backend" : "the fake backend with a deliberate bug (" + name + ")";
    }

    @Override
    public Executor create(Map<String, String> options) {
        // The real provider validates the options (unknown keys are an IllegalArgumentException).
        FakeExecutor.Builder builder = FakeExecutorProvider.builder(options);
        if (interceptor != null) {
            builder.interceptor(interceptor);
        }
        if (wrapper != null) {
            builder.wrapControllers(wrapper);
        }
        FakeExecutor executor = builder.build();
        made.add(executor);
        return executor;
    }

    /** Everything every executor made so far still holds. */
    List<String> leaks() {
        return made.stream().flatMap(executor -> executor.leaks().stream()).toList();
    }

    /** Sees what every executor made so far still holds for a task. */
    ResourceProbe probe() {
        return (Task task) -> made.stream()
                .flatMap(executor -> executor.leaks().stream())
                .filter(leak -> leak.contains(task.getId()))
                .toList();
    }
}
