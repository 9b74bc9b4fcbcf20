/**
 * The conformance kit every executor must pass.
 *
 * <p>Only {@code dev.taskexec.conformance} is API; {@code dev.taskexec.conformance.check} holds the
 * kit's machinery and is not exported. The API package is opened to the JUnit Platform, which
 * instantiates the kit's own test class when {@link dev.taskexec.conformance.ConformanceRunner}
 * launches it. A backend's test that extends {@link dev.taskexec.conformance.ExecutorConformance}
 * in a named module must likewise open its package to {@code org.junit.platform.commons}.
 * QuickTheories has no {@code Automatic-Module-Name}; its module name is derived from the jar's
 * file name, {@code quicktheories}.
 */
module dev.taskexec.conformance {
    requires transitive dev.taskexec.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;
    requires org.opentest4j;
    requires quicktheories;
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    exports dev.taskexec.conformance;

    opens dev.taskexec.conformance to org.junit.platform.commons;
}
