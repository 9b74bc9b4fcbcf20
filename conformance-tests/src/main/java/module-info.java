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
// The automatic modules required here (named in the comment above) publish no descriptor; javac
// warns that their names could change. The names are the stable ones their jars declare, or the
// ones README's "Java modules" lists as derived; nothing else in this module is exempt.
@SuppressWarnings({"requires-automatic"})
module dev.taskexec.conformance {
    requires transitive dev.taskexec.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;
    requires org.opentest4j;
    requires quicktheories;
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.conformance;

    opens dev.taskexec.conformance to
            org.junit.platform.commons;
}
