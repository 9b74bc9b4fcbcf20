/**
 * Backend {@code fake}: in memory, scripted and fault-injecting, for tests of code that drives
 * executors. Its package is exported: tests script it and read its call records directly.
 */
module dev.taskexec.executor.fake {
    requires transitive dev.taskexec.api;
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.executor.fake;

    provides dev.taskexec.api.ExecutorProvider with
            dev.taskexec.executor.fake.FakeExecutorProvider;
}
