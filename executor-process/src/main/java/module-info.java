/**
 * Backend {@code process}: tasks as local OS processes, in a pseudo-terminal when {@code tty} is set.
 *
 * <p>pty4j has no {@code Automatic-Module-Name}; its module name is the one the JVM derives from
 * the jar's file name, {@code pty4j}. JNA ({@code com.sun.jna}) loads native code: on a JDK that
 * warns about native access, run with {@code --enable-native-access=com.sun.jna} (module path) or
 * {@code ALL-UNNAMED} (class path).
 */
// The automatic modules required here (named in the comment above) publish no descriptor; javac
// warns that their names could change. The names are the stable ones their jars declare, or the
// ones README's "Java modules" lists as derived; nothing else in this module is exempt.
@SuppressWarnings({"requires-automatic"})
module dev.taskexec.executor.process {
    requires transitive dev.taskexec.api;
    requires pty4j;
    // pty4j is written partly in Kotlin; as an automatic module it cannot say it needs the Kotlin
    // standard library (a named module), so the backend asks for it on pty4j's behalf.
    requires kotlin.stdlib;
    requires com.sun.jna;
    requires jdk.management;
    requires org.slf4j;
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.executor.process;

    provides dev.taskexec.api.ExecutorProvider with
            dev.taskexec.executor.process.ProcessExecutorProvider;
}
