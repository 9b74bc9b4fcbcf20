package dev.taskexec.agent.identity;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.CAGrpc;
import dev.taskexec.agent.proto.GetRootCACertificateRequest;
import dev.taskexec.agent.proto.GetRootCACertificateResponse;
import dev.taskexec.agent.proto.IssueNodeCertificateRequest;
import dev.taskexec.agent.proto.IssueNodeCertificateResponse;
import dev.taskexec.agent.proto.NodeCAGrpc;
import dev.taskexec.agent.proto.NodeCertificateStatusRequest;
import dev.taskexec.agent.proto.NodeCertificateStatusResponse;
import dev.taskexec.api.proto.Certificate;
import dev.taskexec.api.proto.IssuanceStatus;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process swarm CA: serves a root bundle, admits a node for the right token and answers
 * status polls, with knobs for the failure modes the client must handle.
 */
public final class FakeCa {

    volatile TestCa ca;
    final String workerToken;
    volatile byte[] servedRoots;
    volatile Duration lifetime = Duration.ofDays(90);

    /** Status answers to give before the real one (e.g. PENDING, or ISSUED for an older CSR). */
    final List<NodeCertificateStatusResponse> before = new CopyOnWriteArrayList<>();

    /** Status calls to fail with UNAVAILABLE before answering. */
    final AtomicInteger unavailableStatusCalls = new AtomicInteger();

    volatile boolean failIssuance;

    /** The node a token-less request (a renewal) is for; a real CA takes it from the client certificate. */
    volatile String renewalNodeId = "renewed-node";

    final List<IssueNodeCertificateRequest> issueRequests = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, ByteString> csrs = new ConcurrentHashMap<>();
    private final AtomicInteger nodes = new AtomicInteger();

    public FakeCa(TestCa ca, String workerToken) {
        this.ca = ca;
        this.workerToken = workerToken;
        this.servedRoots = ca.rootPem();
    }

    public CAGrpc.CAImplBase caService() {
        return new CAGrpc.CAImplBase() {
            @Override
            public void getRootCACertificate(
                    GetRootCACertificateRequest request,
                    StreamObserver<GetRootCACertificateResponse> response) {
                response.onNext(
                        GetRootCACertificateResponse.newBuilder()
                                .setCertificate(ByteString.copyFrom(servedRoots))
                                .build());
                response.onCompleted();
            }
        };
    }

    public NodeCAGrpc.NodeCAImplBase nodeCaService() {
        return new NodeCAGrpc.NodeCAImplBase() {
            @Override
            public void issueNodeCertificate(
                    IssueNodeCertificateRequest request,
                    StreamObserver<IssueNodeCertificateResponse> response) {
                issueRequests.add(request);
                String nodeId;
                if (request.getToken().isEmpty()) {
                    nodeId = renewalNodeId;
                } else if (!request.getToken().equals(workerToken)) {
                    response.onError(
                            Status.INVALID_ARGUMENT
                                    .withDescription(
                                            "A valid join token is necessary to join this cluster")
                                    .asRuntimeException());
                    return;
                } else {
                    nodeId = "node" + nodes.incrementAndGet();
                }
                csrs.put(nodeId, request.getCsr());
                response.onNext(
                        IssueNodeCertificateResponse.newBuilder()
                                .setNodeId(nodeId)
                                .setNodeMembership(NodeSpec.Membership.ACCEPTED)
                                .build());
                response.onCompleted();
            }

            @Override
            public void nodeCertificateStatus(
                    NodeCertificateStatusRequest request,
                    StreamObserver<NodeCertificateStatusResponse> response) {
                if (unavailableStatusCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    response.onError(
                            Status.UNAVAILABLE
                                    .withDescription("leader election")
                                    .asRuntimeException());
                    return;
                }
                if (!before.isEmpty()) {
                    response.onNext(before.remove(0));
                    response.onCompleted();
                    return;
                }
                ByteString csr = csrs.get(request.getNodeId());
                if (csr == null) {
                    response.onError(
                            Status.NOT_FOUND
                                    .withDescription("node not found")
                                    .asRuntimeException());
                    return;
                }
                if (failIssuance) {
                    response.onNext(
                            NodeCertificateStatusResponse.newBuilder()
                                    .setStatus(
                                            IssuanceStatus.newBuilder()
                                                    .setState(IssuanceStatus.State.FAILED)
                                                    .setErr("CSR rejected by policy"))
                                    .build());
                    response.onCompleted();
                    return;
                }
                byte[] chain = ca.signCsr(csr.toByteArray(), request.getNodeId(), lifetime);
                response.onNext(
                        NodeCertificateStatusResponse.newBuilder()
                                .setStatus(
                                        IssuanceStatus.newBuilder()
                                                .setState(IssuanceStatus.State.ISSUED))
                                .setCertificate(
                                        Certificate.newBuilder()
                                                .setCsr(csr)
                                                .setCertificate(ByteString.copyFrom(chain))
                                                .setCn(request.getNodeId()))
                                .build());
                response.onCompleted();
            }
        };
    }
}
