package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.executor.fake.FakeExecutorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.function.UnaryOperator;

/**
 * A provider whose executors are the fake's with one bug in the executor itself rather than in a
 * controller: the bugs of {@link BrokenBackendsTest} that an interceptor cannot express.
 */
final class ExecutorBug implements ExecutorProvider {

    /** How the bug changes an executor. */
    @FunctionalInterface
    interface Change {
        Executor apply(Executor healthy) throws Exception;
    }

    private final String name;
    private final ExecutorProvider healthy = FakeBackend.healthy();
    private final Change change;

    /** The options the bug passes on to the fake; all of them, unless the bug is in option handling. */
    private final UnaryOperator<Map<String, String>> options;

    private ExecutorBug(String name, Change change) {
        this(name, change, UnaryOperator.identity());
    }

    private ExecutorBug(String name, Change change, UnaryOperator<Map<String, String>> options) {
        this.name = name;
        this.change = change;
        this.options = options;
    }

    /** Names itself the way a Java class is named, which the registry (and a command line) cannot use. */
    static ExecutorBug misnamed() {
        return new ExecutorBug("FakeExecutor", executor -> executor);
    }

    /** Refuses a runtime it does not know with a plain IllegalArgumentException, not RuntimeUnsupportedException. */
    static ExecutorBug refusesUnknownRuntimeVaguely() {
        return new ExecutorBug(
                "refuses-unknown-runtime-vaguely",
                executor ->
                        new Delegating(executor) {
                            @Override
                            public Controller controller(Task task) throws Exception {
                                if (task.getSpec().hasGeneric()) {
                                    throw new IllegalArgumentException(
                                            "unsupported runtime: "
                                                    + task.getSpec().getGeneric().getKind());
                                }
                                return super.controller(task);
                            }
                        });
    }

    /**
     * Reads {@code getContainer()} without asking {@code hasContainer()}: a spec without a runtime
     * becomes the empty container spec, which runs as the image's default command (here: nothing, exit 0).
     */
    static ExecutorBug runsTaskWithoutRuntime() {
        return new ExecutorBug(
                "runs-task-without-runtime",
                executor ->
                        new Delegating(executor) {
                            @Override
                            public Controller controller(Task task) throws Exception {
                                if (task.getSpec().getRuntimeCase()
                                        != TaskSpec.RuntimeCase.RUNTIME_NOT_SET) {
                                    return super.controller(task);
                                }
                                return super.controller(
                                        task.toBuilder()
                                                .setSpec(
                                                        task.getSpec().toBuilder()
                                                                .setContainer(
                                                                        task.getSpec()
                                                                                .getContainer()))
                                                .build());
                            }
                        });
    }

    /** Passes on only the options it knows and drops the rest silently, so a misspelt option is ignored. */
    static ExecutorBug ignoresUnknownOptions() {
        return new ExecutorBug(
                "ignores-unknown-options",
                executor -> executor,
                given -> {
                    Map<String, String> known = new HashMap<>(given);
                    known.keySet().retainAll(new FakeExecutorProvider().options().keySet());
                    return known;
                });
    }

    /** Keeps one controller per service and slot, so a second task of the slot gets the first one's. */
    static ExecutorBug keyedBySlot() {
        return new ExecutorBug(
                "keyed-by-slot",
                executor ->
                        new Delegating(executor) {
                            private final Map<String, Controller> bySlot =
                                    new ConcurrentHashMap<>();

                            @Override
                            public Controller controller(Task task) throws Exception {
                                String key = task.getServiceId() + "." + task.getSlot();
                                Controller known = bySlot.get(key);
                                if (known != null) {
                                    return known;
                                }
                                Controller made = super.controller(task);
                                bySlot.put(key, made);
                                return made;
                            }
                        });
    }

    /** Starts a work-stealing pool of its own and never shuts it down. */
    static ExecutorBug leaksPool() {
        return new ExecutorBug(
                "leaks-fork-join-pool",
                executor -> {
                    ForkJoinPool pool = new ForkJoinPool(2);
                    pool.submit(() -> {}).join();
                    return executor;
                });
    }

    /** Drops the script words it does not know instead of refusing the task. */
    static ExecutorBug runsWhatItCannotHonour() {
        return new ExecutorBug(
                "runs-what-it-cannot-honour",
                executor ->
                        new Delegating(executor) {
                            @Override
                            public Controller controller(Task task) throws Exception {
                                if (!task.getSpec().hasContainer()) {
                                    return super.controller(task);
                                }
                                var container =
                                        task.getSpec().getContainer().toBuilder().clearArgs();
                                task.getSpec().getContainer().getArgsList().stream()
                                        .filter(
                                                word ->
                                                        !word.startsWith(
                                                                "taskexec-conformance-no-such"))
                                        .forEach(container::addArgs);
                                return super.controller(
                                        task.toBuilder()
                                                .setSpec(
                                                        task.getSpec().toBuilder()
                                                                .setContainer(container))
                                                .build());
                            }
                        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "the fake backend with a deliberate bug (" + name + ")";
    }

    @Override
    public Executor create(Map<String, String> options) throws Exception {
        return change.apply(healthy.create(this.options.apply(options)));
    }

    /** Passes every call on; the bugs override one. */
    private static class Delegating implements Executor {
        private final Executor delegate;

        Delegating(Executor delegate) {
            this.delegate = delegate;
        }

        @Override
        public NodeDescription describe() throws Exception {
            return delegate.describe();
        }

        @Override
        public void configure(Node node) throws Exception {
            delegate.configure(node);
        }

        @Override
        public Controller controller(Task task) throws Exception {
            return delegate.controller(task);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
