package dev.taskexec.executor.fake;

import dev.taskexec.api.proto.PortConfig;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the word grammar documented on {@link FakeScript}. Every error names the word it is about,
 * because that word is what a user has to fix in their task.
 */
final class ScriptParser {

    private static final String KEYS =
            "exit, after, stop-exit, ignore-stop, grace, stdout, stderr,"
                    + " port, latency, update, prepare, start, await, shutdown, terminate, remove, logs";
    private static final String PARTS =
            "ok, block, delay:DURATION, fail[:MESSAGE], temporary[:MESSAGE] or exit:CODE[:MESSAGE]";

    private ScriptParser() {}

    static FakeScript parse(List<String> words) {
        FakeScript.Builder b = FakeScript.builder();
        Set<String> seen = new HashSet<>();
        EnumSet<Call> scripted = EnumSet.noneOf(Call.class);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word == null) {
                throw new IllegalArgumentException("fake script word " + (i + 1) + " is null");
            }
            if (i == 0 && word.equals(FakeScript.GENERIC_KIND)) {
                continue;
            }
            try {
                apply(b, word, seen, scripted);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "fake script word \"" + word + "\": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static void apply(
            FakeScript.Builder b, String word, Set<String> seen, EnumSet<Call> scripted) {
        if (word.equals("ignore-stop")) {
            once(seen, word);
            b.ignoreStop();
            return;
        }
        int eq = word.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("not KEY=VALUE (keys: " + KEYS + ")");
        }
        String key = word.substring(0, eq);
        String value = word.substring(eq + 1);
        switch (key) {
            case "stdout" -> b.stdout(value);
            case "stderr" -> b.stderr(value);
            case "port" -> b.port(port(value));
            case "exit" -> {
                once(seen, key);
                b.exit(integer(value));
            }
            case "stop-exit" -> {
                once(seen, key);
                b.stopExit(integer(value));
            }
            case "after" -> {
                once(seen, key);
                if (value.equals("never")) {
                    b.runUntilStopped();
                } else {
                    b.after(DurationWord.parse(value));
                }
            }
            case "grace" -> {
                once(seen, key);
                b.grace(DurationWord.parse(value));
            }
            case "latency" -> {
                once(seen, key);
                b.latency(DurationWord.parse(value));
            }
            case "ignore-stop" -> throw new IllegalArgumentException("ignore-stop takes no value");
            default -> {
                Call call;
                try {
                    call = Call.fromWord(key);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "unknown key \"" + key + "\" (keys: " + KEYS + ")");
                }
                if (!scripted.add(call)) {
                    throw new IllegalArgumentException(key + " is given twice");
                }
                b.on(call, steps(value));
            }
        }
    }

    private static void once(Set<String> seen, String key) {
        if (!seen.add(key)) {
            throw new IllegalArgumentException(key + " is given twice");
        }
    }

    private static Behavior[] steps(String value) {
        String[] steps = value.split(",", -1);
        Behavior[] out = new Behavior[steps.length];
        for (int i = 0; i < steps.length; i++) {
            Behavior step = null;
            for (String part : steps[i].split("\\+", -1)) {
                Behavior b = part(part);
                step = step == null ? b : step.then(b);
            }
            out[i] = step;
        }
        return out;
    }

    private static Behavior part(String part) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty step (expected " + PARTS + ")");
        }
        int colon = part.indexOf(':');
        String kind = colon < 0 ? part : part.substring(0, colon);
        String arg = colon < 0 ? null : part.substring(colon + 1);
        return switch (kind) {
            case "ok" -> noArgument(kind, arg, Behavior.ok());
            case "block" -> noArgument(kind, arg, Behavior.block());
            case "fail" -> Behavior.fail(arg);
            case "temporary" -> Behavior.temporary(arg);
            case "delay" -> {
                if (arg == null) {
                    throw new IllegalArgumentException("delay needs a duration, like delay:50ms");
                }
                yield Behavior.delay(DurationWord.parse(arg));
            }
            case "exit" -> {
                if (arg == null) {
                    throw new IllegalArgumentException("exit needs a code, like exit:3");
                }
                int colon2 = arg.indexOf(':');
                yield colon2 < 0
                        ? Behavior.exit(integer(arg))
                        : Behavior.exit(
                                integer(arg.substring(0, colon2)), arg.substring(colon2 + 1));
            }
            default ->
                    throw new IllegalArgumentException(
                            "unknown behaviour \"" + kind + "\" (expected " + PARTS + ")");
        };
    }

    private static Behavior noArgument(String kind, String arg, Behavior b) {
        if (arg != null) {
            throw new IllegalArgumentException(kind + " takes no argument");
        }
        return b;
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an integer");
        }
    }

    static PortConfig port(String value) {
        String protocol = "tcp";
        int slash = value.indexOf('/');
        String ports = value;
        if (slash >= 0) {
            protocol = value.substring(slash + 1);
            ports = value.substring(0, slash);
        }
        int colon = ports.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "a port is PUBLISHED:TARGET[/tcp|udp|sctp], like 8080:80");
        }
        PortConfig.Protocol p =
                switch (protocol) {
                    case "tcp" -> PortConfig.Protocol.TCP;
                    case "udp" -> PortConfig.Protocol.UDP;
                    case "sctp" -> PortConfig.Protocol.SCTP;
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown protocol \""
                                            + protocol
                                            + "\" (expected tcp, udp or sctp)");
                };
        return PortConfig.newBuilder()
                .setPublishedPort(portNumber(ports.substring(0, colon)))
                .setTargetPort(portNumber(ports.substring(colon + 1)))
                .setProtocol(p)
                .setPublishMode(PortConfig.PublishMode.HOST)
                .build();
    }

    private static int portNumber(String text) {
        int n = integer(text);
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("port " + n + " is outside 0..65535");
        }
        return n;
    }

    static String portWord(PortConfig p) {
        if (!p.getName().isEmpty()
                || p.getPublishMode() != PortConfig.PublishMode.HOST
                || p.getProtocol() == PortConfig.Protocol.UNRECOGNIZED) {
            throw new IllegalStateException(
                    "port "
                            + p.toString().replace('\n', ' ').strip()
                            + " has no script word form (only unnamed HOST ports of a known protocol)");
        }
        String word = "port=" + p.getPublishedPort() + ":" + p.getTargetPort();
        return switch (p.getProtocol()) {
            case TCP -> word;
            default -> word + "/" + p.getProtocol().name().toLowerCase(Locale.ROOT);
        };
    }
}
