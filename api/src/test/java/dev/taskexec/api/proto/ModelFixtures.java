package dev.taskexec.api.proto;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.List;

/**
 * Messages with every modelled field set to a non-default value.
 *
 * <p>{@link #all()} is the set {@link ModelCoverageTest} checks: together its
 * messages set every field of every message type in the model, each oneof
 * alternative included. When a field is added to a {@code .proto} file, that
 * test fails until the field is filled in here, so the round-trip tests keep
 * covering the whole model.
 */
final class ModelFixtures {

    private ModelFixtures() {}

    /** Types packed into {@code Any} fields by the fixtures; JSON needs them to print and parse. */
    static final JsonFormat.TypeRegistry ANY_TYPES =
            JsonFormat.TypeRegistry.newBuilder()
                    .add(Struct.getDescriptor())
                    .add(Driver.getDescriptor())
                    .build();

    /** A named fixture, so a failing parameterised test says which one broke. */
    record Fixture(String name, Message message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Fixture> all() {
        return List.of(
                new Fixture("container task", fullTask()),
                new Fixture("generic task", genericTask()),
                new Fixture("attachment task", attachmentTask()),
                new Fixture("node", fullNode()),
                new Fixture(
                        "credential spec from registry",
                        Privileges.CredentialSpec.newBuilder()
                                .setRegistry("registry-spec")
                                .build()),
                new Fixture(
                        "credential spec from config",
                        Privileges.CredentialSpec.newBuilder().setConfig("config-id").build()),
                new Fixture(
                        "raft member status",
                        RaftMemberStatus.newBuilder()
                                .setLeader(true)
                                .setReachability(RaftMemberStatus.Reachability.UNREACHABLE)
                                .setMessage("heartbeat lost")
                                .build()),
                new Fixture(
                        "subscribe logs request",
                        SubscribeLogsRequest.newBuilder()
                                .setSelector(logSelector())
                                .setOptions(logOptions())
                                .build()),
                new Fixture(
                        "subscribe logs message",
                        SubscribeLogsMessage.newBuilder().addMessages(logMessage()).build()),
                new Fixture(
                        "subscription message",
                        SubscriptionMessage.newBuilder()
                                .setId("sub-1")
                                .setSelector(logSelector())
                                .setOptions(logOptions())
                                .setClose(true)
                                .build()),
                new Fixture(
                        "publish logs message",
                        PublishLogsMessage.newBuilder()
                                .setSubscriptionId("sub-1")
                                .addMessages(logMessage())
                                .setClose(true)
                                .build()));
    }

    /** A task whose spec runs a container, with every field of the task and its parts set. */
    static Task fullTask() {
        return Task.newBuilder()
                .setId("task-1")
                .setMeta(meta(7))
                .setSpec(taskSpec().setContainer(containerSpec()))
                .setServiceId("service-1")
                .setSlot(3)
                .setNodeId("node-1")
                .setAnnotations(annotations("web.3.task-1"))
                .setServiceAnnotations(annotations("web"))
                .setStatus(taskStatus())
                .setDesiredState(TaskState.RUNNING)
                .addNetworks(networkAttachment())
                .setEndpoint(
                        Endpoint.newBuilder()
                                .setSpec(
                                        EndpointSpec.newBuilder()
                                                .setMode(EndpointSpec.ResolutionMode.DNSRR)
                                                .addPorts(portConfig()))
                                .addPorts(portConfig())
                                .addVirtualIps(
                                        Endpoint.VirtualIP.newBuilder()
                                                .setNetworkId("net-1")
                                                .setAddr("10.0.0.2/24")))
                .setLogDriver(driver("json-file"))
                .setSpecVersion(Version.newBuilder().setIndex(41))
                .addAssignedGenericResources(namedResource())
                .addAssignedGenericResources(discreteResource())
                .setJobIteration(Version.newBuilder().setIndex(2))
                .addVolumes(
                        VolumeAttachment.newBuilder()
                                .setId("vol-1")
                                .setSource("data")
                                .setTarget("/data"))
                .build();
    }

    /** The full task with a generic runtime in place of the container. */
    static Task genericTask() {
        Struct payload =
                Struct.newBuilder()
                        .putFields("script", Value.newBuilder().setStringValue("exit 3").build())
                        .build();
        Task task = fullTask();
        return task.toBuilder()
                .setSpec(
                        task.getSpec().toBuilder()
                                .setGeneric(
                                        GenericRuntimeSpec.newBuilder()
                                                .setKind("fake")
                                                .setPayload(Any.pack(payload))))
                .build();
    }

    /** The full task with a network attachment runtime in place of the container. */
    static Task attachmentTask() {
        Task task = fullTask();
        return task.toBuilder()
                .setSpec(
                        task.getSpec().toBuilder()
                                .setAttachment(
                                        NetworkAttachmentSpec.newBuilder()
                                                .setContainerId("c0ffee")))
                .build();
    }

    @SuppressWarnings(
            "deprecation") // Node.attachment is deprecated by swarmkit but still on the wire
    static Node fullNode() {
        return Node.newBuilder()
                .setId("node-1")
                .setMeta(meta(3))
                .setSpec(
                        NodeSpec.newBuilder()
                                .setAnnotations(annotations("worker-1"))
                                .setDesiredRole(NodeRole.MANAGER)
                                .setMembership(NodeSpec.Membership.ACCEPTED)
                                .setAvailability(NodeSpec.Availability.DRAIN))
                .setDescription(nodeDescription())
                .setStatus(
                        NodeStatus.newBuilder()
                                .setState(NodeStatus.State.READY)
                                .setMessage("heartbeat ok")
                                .setAddr("192.0.2.10"))
                .setManagerStatus(
                        ManagerStatus.newBuilder()
                                .setRaftId(99)
                                .setAddr("192.0.2.10:2377")
                                .setLeader(true)
                                .setReachability(RaftMemberStatus.Reachability.REACHABLE))
                .setAttachment(networkAttachment())
                .setCertificate(
                        Certificate.newBuilder()
                                .setRole(NodeRole.MANAGER)
                                .setCsr(ByteString.copyFromUtf8("csr"))
                                .setStatus(
                                        IssuanceStatus.newBuilder()
                                                .setState(IssuanceStatus.State.ISSUED)
                                                .setErr("none"))
                                .setCertificate(ByteString.copyFromUtf8("pem"))
                                .setCn("node-1"))
                .setRole(NodeRole.MANAGER)
                .addAttachments(networkAttachment())
                .setVXLANUDPPort(4789)
                .build();
    }

    static NodeDescription nodeDescription() {
        return NodeDescription.newBuilder()
                .setHostname("host-1")
                .setPlatform(platform())
                .setResources(resources(4_000_000_000L, 8L << 30))
                .setEngine(
                        EngineDescription.newBuilder()
                                .setEngineVersion("20.10.24")
                                .putLabels("zone", "a")
                                .addPlugins(
                                        PluginDescription.newBuilder()
                                                .setType("Volume")
                                                .setName("local")))
                .setTlsInfo(
                        NodeTLSInfo.newBuilder()
                                .setTrustRoot(ByteString.copyFromUtf8("root"))
                                .setCertIssuerSubject(ByteString.copyFromUtf8("subject"))
                                .setCertIssuerPublicKey(ByteString.copyFromUtf8("key")))
                .setFips(true)
                .addCsiInfo(
                        NodeCSIInfo.newBuilder()
                                .setPluginName("csi-local")
                                .setNodeId("csi-node-1")
                                .setMaxVolumesPerNode(16)
                                .setAccessibleTopology(
                                        Topology.newBuilder().putSegments("zone", "a")))
                .build();
    }

    static LogMessage logMessage() {
        return LogMessage.newBuilder()
                .setContext(
                        LogContext.newBuilder()
                                .setServiceId("service-1")
                                .setNodeId("node-1")
                                .setTaskId("task-1"))
                .setTimestamp(timestamp(1_700_000_010L))
                .setStream(LogStream.LOG_STREAM_STDERR)
                // Not UTF-8 on purpose: log data is raw bytes.
                .setData(ByteString.copyFrom(new byte[] {'o', 'k', (byte) 0xff, '\n'}))
                .addAttrs(LogAttr.newBuilder().setKey("level").setValue("warn"))
                .build();
    }

    private static TaskSpec.Builder taskSpec() {
        return TaskSpec.newBuilder()
                .setResources(
                        ResourceRequirements.newBuilder()
                                .setLimits(resources(2_000_000_000L, 512L << 20))
                                .setReservations(resources(500_000_000L, 128L << 20))
                                .setSwapBytes(Int64Value.of(-1))
                                .setMemorySwappiness(Int64Value.of(10)))
                .setRestart(
                        RestartPolicy.newBuilder()
                                .setCondition(RestartPolicy.RestartCondition.ON_FAILURE)
                                .setDelay(duration(5, 0))
                                .setMaxAttempts(3)
                                .setWindow(duration(60, 0)))
                .setPlacement(
                        Placement.newBuilder()
                                .addConstraints("node.role==worker")
                                .addPreferences(
                                        PlacementPreference.newBuilder()
                                                .setSpread(
                                                        SpreadOver.newBuilder()
                                                                .setSpreadDescriptor(
                                                                        "node.labels.zone")))
                                .addPlatforms(platform())
                                .setMaxReplicas(2))
                .setLogDriver(driver("journald"))
                .addNetworks(
                        NetworkAttachmentConfig.newBuilder()
                                .setTarget("net-1")
                                .addAliases("web")
                                .addAddresses("10.0.0.2")
                                .putDriverAttachmentOpts("mtu", "1400"))
                .setForceUpdate(1)
                .addResourceReferences(
                        ResourceReference.newBuilder()
                                .setResourceId("secret-1")
                                .setResourceType(ResourceType.SECRET));
    }

    private static ContainerSpec containerSpec() {
        return ContainerSpec.newBuilder()
                .setImage("taskexec-test:latest")
                .putLabels("app", "web")
                .addCommand("/bin/sh")
                .addArgs("-c")
                .addArgs("echo hello")
                .addEnv("GREETING=hello")
                .setDir("/work")
                .setUser("1000:1000")
                .addMounts(mount())
                .setStopGracePeriod(duration(10, 500_000_000))
                .setPullOptions(ContainerSpec.PullOptions.newBuilder().setRegistryAuth("auth"))
                .addGroups("staff")
                .addSecrets(
                        SecretReference.newBuilder()
                                .setSecretId("secret-1")
                                .setSecretName("db-password")
                                .setFile(fileTarget("db-password")))
                .setTty(true)
                .setHostname("web-3")
                .setDnsConfig(
                        ContainerSpec.DNSConfig.newBuilder()
                                .addNameservers("192.0.2.53")
                                .addSearch("example.org")
                                .addOptions("ndots:2"))
                .setHealthcheck(
                        HealthConfig.newBuilder()
                                .addTest("CMD-SHELL")
                                .addTest("true")
                                .setInterval(duration(30, 0))
                                .setTimeout(duration(3, 0))
                                .setRetries(4)
                                .setStartPeriod(duration(15, 0))
                                .setStartInterval(duration(1, 0)))
                .addHosts("192.0.2.1 gateway")
                .setOpenStdin(true)
                .setReadOnly(true)
                .setStopSignal("SIGINT")
                .addConfigs(
                        ConfigReference.newBuilder()
                                .setConfigId("config-1")
                                .setConfigName("app.conf")
                                .setFile(fileTarget("app.conf")))
                .addConfigs(
                        ConfigReference.newBuilder()
                                .setConfigId("config-2")
                                .setConfigName("credspec")
                                .setRuntime(RuntimeTarget.getDefaultInstance()))
                .setPrivileges(
                        Privileges.newBuilder()
                                .setCredentialSpec(
                                        Privileges.CredentialSpec.newBuilder().setFile("spec.json"))
                                .setSelinuxContext(
                                        Privileges.SELinuxContext.newBuilder()
                                                .setDisable(true)
                                                .setUser("system_u")
                                                .setRole("system_r")
                                                .setType("container_t")
                                                .setLevel("s0"))
                                .setSeccomp(
                                        Privileges.SeccompOpts.newBuilder()
                                                .setMode(Privileges.SeccompOpts.SeccompMode.CUSTOM)
                                                .setProfile(ByteString.copyFromUtf8("{}")))
                                .setApparmor(
                                        Privileges.AppArmorOpts.newBuilder()
                                                .setMode(
                                                        Privileges.AppArmorOpts.AppArmorMode
                                                                .DISABLED))
                                .setNoNewPrivileges(true))
                .setInit(BoolValue.of(true))
                .setIsolation(ContainerSpec.Isolation.ISOLATION_PROCESS)
                .setPidsLimit(100)
                .putSysctls("net.core.somaxconn", "1024")
                .addCapabilityAdd("CAP_NET_ADMIN")
                .addCapabilityDrop("CAP_MKNOD")
                .addUlimits(
                        ContainerSpec.Ulimit.newBuilder()
                                .setName("nofile")
                                .setSoft(1024)
                                .setHard(4096))
                .setOomScoreAdj(-500)
                .build();
    }

    private static Mount mount() {
        return Mount.newBuilder()
                .setType(Mount.Type.VOLUME)
                .setSource("data")
                .setTarget("/data")
                .setReadonly(true)
                .setBindOptions(
                        Mount.BindOptions.newBuilder()
                                .setPropagation(Mount.BindOptions.Propagation.RSLAVE)
                                .setNonrecursive(true)
                                .setCreatemountpoint(true)
                                .setReadonlynonrecursive(true)
                                .setReadonlyforcerecursive(true))
                .setVolumeOptions(
                        Mount.VolumeOptions.newBuilder()
                                .setNocopy(true)
                                .putLabels("backup", "daily")
                                .setDriverConfig(driver("local"))
                                .setSubpath("sub"))
                .setTmpfsOptions(
                        Mount.TmpfsOptions.newBuilder()
                                .setSizeBytes(64L << 20)
                                .setMode(01777)
                                .setOptions("noexec"))
                .setConsistency(Mount.Consistency.CACHED)
                .build();
    }

    private static TaskStatus taskStatus() {
        return TaskStatus.newBuilder()
                .setTimestamp(timestamp(1_700_000_000L))
                .setState(TaskState.RUNNING)
                .setMessage("started")
                .setErr("previous attempt failed")
                .setContainer(
                        ContainerStatus.newBuilder()
                                .setContainerId("c0ffee")
                                .setPid(4242)
                                .setExitCode(137))
                .setPortStatus(PortStatus.newBuilder().addPorts(portConfig()))
                .setAppliedBy("manager-1")
                .setAppliedAt(timestamp(1_700_000_001L))
                .build();
    }

    private static NetworkAttachment networkAttachment() {
        return NetworkAttachment.newBuilder()
                .setNetwork(
                        Network.newBuilder()
                                .setId("net-1")
                                .setMeta(meta(5))
                                .setSpec(
                                        NetworkSpec.newBuilder()
                                                .setAnnotations(annotations("backend"))
                                                .setDriverConfig(driver("overlay"))
                                                .setIpv6Enabled(true)
                                                .setInternal(true)
                                                .setIpam(ipam())
                                                .setAttachable(true)
                                                .setIngress(true)
                                                .setNetwork("host-config"))
                                .setDriverState(driver("overlay"))
                                .setIpam(ipam())
                                .setPendingDelete(true)
                                .setExtra(Any.pack(driver("allocator"))))
                .addAddresses("10.0.0.2/24")
                .addAliases("web")
                .putDriverAttachmentOpts("mtu", "1400")
                .build();
    }

    private static IPAMOptions ipam() {
        return IPAMOptions.newBuilder()
                .setDriver(driver("default"))
                .addConfigs(
                        IPAMConfig.newBuilder()
                                .setFamily(IPAMConfig.AddressFamily.IPV6)
                                .setSubnet("fd00::/64")
                                .setRange("fd00::/80")
                                .setGateway("fd00::1")
                                .putReserved("fd00::2", "dns"))
                .build();
    }

    private static PortConfig portConfig() {
        return PortConfig.newBuilder()
                .setName("http")
                .setProtocol(PortConfig.Protocol.SCTP)
                .setTargetPort(8080)
                .setPublishedPort(30080)
                .setPublishMode(PortConfig.PublishMode.HOST)
                .build();
    }

    private static LogSelector logSelector() {
        return LogSelector.newBuilder()
                .addServiceIds("service-1")
                .addNodeIds("node-1")
                .addTaskIds("task-1")
                .build();
    }

    private static LogSubscriptionOptions logOptions() {
        return LogSubscriptionOptions.newBuilder()
                .addStreams(LogStream.LOG_STREAM_STDOUT)
                .addStreams(LogStream.LOG_STREAM_STDERR)
                .setFollow(true)
                .setTail(-1)
                .setSince(timestamp(1_700_000_000L))
                .build();
    }

    private static GenericResource namedResource() {
        return GenericResource.newBuilder()
                .setNamedResourceSpec(
                        NamedGenericResource.newBuilder().setKind("GPU").setValue("UUID-1"))
                .build();
    }

    private static GenericResource discreteResource() {
        return GenericResource.newBuilder()
                .setDiscreteResourceSpec(
                        DiscreteGenericResource.newBuilder().setKind("SSD").setValue(2))
                .build();
    }

    private static Resources resources(long nanoCpus, long memoryBytes) {
        return Resources.newBuilder()
                .setNanoCpus(nanoCpus)
                .setMemoryBytes(memoryBytes)
                .addGeneric(namedResource())
                .addGeneric(discreteResource())
                .build();
    }

    private static FileTarget fileTarget(String name) {
        return FileTarget.newBuilder()
                .setName(name)
                .setUid("1000")
                .setGid("1000")
                .setMode(0440)
                .build();
    }

    private static Annotations annotations(String name) {
        return Annotations.newBuilder()
                .setName(name)
                .putLabels("team", "infra")
                .addIndices(IndexEntry.newBuilder().setKey("owner").setVal("infra"))
                .build();
    }

    private static Meta meta(long version) {
        return Meta.newBuilder()
                .setVersion(Version.newBuilder().setIndex(version))
                .setCreatedAt(timestamp(1_600_000_000L))
                .setUpdatedAt(timestamp(1_600_000_500L))
                .build();
    }

    private static Platform platform() {
        return Platform.newBuilder().setArchitecture("x86_64").setOs("linux").build();
    }

    private static Driver driver(String name) {
        return Driver.newBuilder().setName(name).putOptions("opt", "1").build();
    }

    private static Timestamp timestamp(long seconds) {
        return Timestamp.newBuilder().setSeconds(seconds).setNanos(123_000_000).build();
    }

    private static Duration duration(long seconds, int nanos) {
        return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    }
}
