/**
 * Backend {@code fake}: in memory, scripted and fault-injecting, for tests of code that drives
 * executors. Its package is exported: tests script it and read its call records directly.
 */
module dev.taskexec.executor.fake {
    requires transitive dev.taskexec.api;
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    exports dev.taskexec.executor.fake;

    provides dev.taskexec.api.ExecutorProvider with dev.taskexec.executor.fake.FakeExecutorProvider;
}
