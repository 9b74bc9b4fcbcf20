/**
 * A Docker Swarm worker node on any taskexec executor.
 *
 * <p>grpc-java's jars are automatic modules ({@code io.grpc}, {@code io.grpc.stub},
 * {@code io.grpc.protobuf}, {@code io.grpc.netty.shaded}); BouncyCastle's are named modules
 * ({@code org.bouncycastle.pkix}, {@code org.bouncycastle.provider}).
 */
// The automatic modules required here (named in the comment above) publish no descriptor; javac
// warns that their names could change. The names are the stable ones their jars declare, or the
// ones README's "Java modules" lists as derived; nothing else in this module is exempt.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
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
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    // The generated messages and gRPC stubs (dev.taskexec.agent.proto) and the TLS plumbing
    // (dev.taskexec.agent.tls) are the wire protocol, not API, and stay unexported.
    exports dev.taskexec.agent;
    exports dev.taskexec.agent.identity;
    exports dev.taskexec.agent.runtime;
    exports dev.taskexec.agent.session;
}
