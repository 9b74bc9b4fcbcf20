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
    requires org.slf4j;

    // dev.taskexec.agent (the node's entry point) is exported as soon as it holds a class: javac
    // refuses to export an empty package. Generated gRPC stubs stay unexported unless they are API.
    exports dev.taskexec.agent.session;
}
