/**
 * Backend {@code process}: tasks as local OS processes, in a pseudo-terminal when {@code tty} is set.
 *
 * <p>pty4j has no {@code Automatic-Module-Name}; its module name is the one the JVM derives from
 * the jar's file name, {@code pty4j}. JNA ({@code com.sun.jna}) loads native code: on a JDK that
 * warns about native access, run with {@code --enable-native-access=com.sun.jna} (module path) or
 * {@code ALL-UNNAMED} (class path).
 */
module dev.taskexec.executor.process {
    requires transitive dev.taskexec.api;
    requires pty4j;
    // pty4j is written partly in Kotlin; as an automatic module it cannot say it needs the Kotlin
    // standard library (a named module), so the backend asks for it on pty4j's behalf.
    requires kotlin.stdlib;
    requires com.sun.jna;
    requires jdk.management;
    requires org.slf4j;
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    exports dev.taskexec.executor.process;

    provides dev.taskexec.api.ExecutorProvider with dev.taskexec.executor.process.ProcessExecutorProvider;
}
