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
import java.util.UUID;
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

    /** The fake runtime every executor of this backend shares (RECOVERY); null: each its own. */
    private final String runtime;

    private final boolean reaps;

    private FakeBackend(
            String name,
            Interceptor interceptor,
            Function<? super FakeController, ? extends Controller> wrapper,
            boolean sharesRuntime,
            boolean reaps) {
        this.name = name;
        this.interceptor = interceptor;
        this.wrapper = wrapper;
        this.runtime = sharesRuntime ? "selftest-" + name + "-" + UUID.randomUUID() : null;
        this.reaps = reaps;
    }

    private FakeBackend(
            String name,
            Interceptor interceptor,
            Function<? super FakeController, ? extends Controller> wrapper) {
        this(name, interceptor, wrapper, true, true);
    }

    /** The fake whose executors forget every task of the executors before them: no re-adoption. */
    static FakeBackend amnesiac() {
        return new FakeBackend("amnesiac", null, null, false, true);
    }

    /** The fake whose executors re-adopt but never reap an orphan. */
    static FakeBackend withoutReaper() {
        return new FakeBackend("no-reaper", null, null, true, false);
    }

    /** The fake with one deliberate bug, among executors that share their runtime. */
    static FakeBackend brokenAcrossRestarts(String name, Interceptor bug) {
        return new FakeBackend(name, bug, null, true, true);
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
    static FakeBackend brokenBy(
            String name, Function<? super FakeController, ? extends Controller> bug) {
        return new FakeBackend(name, null, bug);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return interceptor == null && wrapper == null
                ? "the fake backend"
                : "the fake backend with a deliberate bug (" + name + ")";
    }

    @Override
    public Executor create(Map<String, String> options) {
        // The real provider validates the options (unknown keys are an IllegalArgumentException).
        FakeExecutor.Builder builder = FakeExecutorProvider.builder(options);
        if (runtime != null && !options.containsKey("runtime")) {
            builder.runtime(runtime);
        }
        if (interceptor != null) {
            builder.interceptor(interceptor);
        }
        if (wrapper != null) {
            builder.wrapControllers(wrapper);
        }
        FakeExecutor executor = builder.build();
        made.add(executor);
        return reaps ? executor : new NoReaper(executor);
    }

    /** Everything every executor made so far still holds. */
    List<String> leaks() {
        return made.stream().flatMap(executor -> executor.leaks().stream()).toList();
    }

    /** Sees what every executor made so far still holds for a task. */
    ResourceProbe probe() {
        return (Task task) ->
                made.stream()
                        .flatMap(executor -> executor.leaks().stream())
                        .filter(leak -> leak.contains(task.getId()))
                        .toList();
    }
}
