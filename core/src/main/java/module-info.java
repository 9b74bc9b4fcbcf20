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
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.core;

    uses dev.taskexec.api.ExecutorProvider;
}
