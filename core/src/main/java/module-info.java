/**
 * The lifecycle, the task runner, the worker and the registry that finds executor backends.
 *
 * <p>{@link dev.taskexec.core.ExecutorRegistry} loads every {@code dev.taskexec.api.ExecutorProvider}
 * with {@link java.util.ServiceLoader}: those its module layer's named modules {@code provide} and
 * those listed in {@code META-INF/services} on the class path.
 */
module dev.taskexec.core {
    requires transitive dev.taskexec.api;
    requires org.slf4j;
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    exports dev.taskexec.core;

    uses dev.taskexec.api.ExecutorProvider;
}
