/**
 * A Docker Swarm worker node on any taskexec executor.
 *
 * <p>grpc-java's jars are automatic modules ({@code io.grpc}, {@code io.grpc.stub},
 * {@code io.grpc.protobuf}, {@code io.grpc.netty.shaded}); BouncyCastle's are named modules
 * ({@code org.bouncycastle.pkix}, {@code org.bouncycastle.provider}).
 */
module dev.taskexec.agent {
    requires transitive dev.taskexec.core;
    requires transitive io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires io.grpc.netty.shaded;
    requires com.google.common; // the generated future stubs return Guava's ListenableFuture
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires java.naming; // LDAP names: the subject of the node certificate
    requires org.slf4j;
    requires static org.apiguardian.api; // the @API annotations: needed to compile, optional at run time (as in JUnit)

    // The generated messages and gRPC stubs (dev.taskexec.agent.proto) and the TLS plumbing
    // (dev.taskexec.agent.tls) are the wire protocol, not API, and stay unexported.
    exports dev.taskexec.agent;
    exports dev.taskexec.agent.identity;
    exports dev.taskexec.agent.runtime;
    exports dev.taskexec.agent.session;
}
