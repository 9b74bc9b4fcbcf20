/**
 * Backend {@code docker}: tasks as containers on a Docker Engine, through docker-java (whose jars
 * are automatic modules named by their {@code Automatic-Module-Name}).
 */
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
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    exports dev.taskexec.executor.docker;

    provides dev.taskexec.api.ExecutorProvider with dev.taskexec.executor.docker.DockerExecutorProvider;
}
