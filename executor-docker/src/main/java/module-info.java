/**
 * Backend {@code docker}: tasks as containers on a Docker Engine, through docker-java (whose jars
 * are automatic modules named by their {@code Automatic-Module-Name}).
 */
// The automatic modules required here (named in the comment above) publish no descriptor; javac
// warns that their names could change. The names are the stable ones their jars declare, or the
// ones README's "Java modules" lists as derived; nothing else in this module is exempt.
@SuppressWarnings({"requires-automatic"})
module dev.taskexec.executor.docker {
    requires transitive dev.taskexec.api;
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.httpclient5;
    requires org.slf4j;
    // docker-java's jars are automatic modules, which cannot declare what they need; these named
    // modules they use would not be resolved on a module path unless some module asks for them.
    requires com.fasterxml.jackson.databind;
    requires com.google.common;
    requires org.apache.commons.compress;
    requires org.apache.commons.io;
    requires org.apache.commons.lang3;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.executor.docker;

    provides dev.taskexec.api.ExecutorProvider with
            dev.taskexec.executor.docker.DockerExecutorProvider;
}
