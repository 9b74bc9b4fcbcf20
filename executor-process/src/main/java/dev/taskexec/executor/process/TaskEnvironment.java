package dev.taskexec.executor.process;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the agent's environment variables a task's process inherits.
 *
 * <p>By default only {@link #BASELINE}: the search path, home, locale, terminal and time zone,
 * which programs need to behave normally and which carry no credentials. Everything else in the
 * agent's environment (tokens, cloud credentials, proxy passwords) stays out of the task unless
 * the {@value ProcessExecutorOptions#PASS_ENV} option names it: a name, a prefix ending in
 * {@code *} ({@code AWS_*}), or {@code *} alone for the whole environment. The task's own
 * {@code env} is laid over the result, then {@code TASKEXEC_TASK_ID}.
 *
 * @param passed names and {@code PREFIX*} patterns passed through besides the baseline
 */
record TaskEnvironment(List<String> passed) {

    /** Passed through always: names, and prefixes ending in {@code *}. */
    static final List<String> BASELINE = List.of("PATH", "HOME", "LANG", "LC_*", "TERM", "TZ");

    TaskEnvironment {
        passed = List.copyOf(passed);
    }

    /** Only the baseline. */
    static TaskEnvironment baseline() {
        return new TaskEnvironment(List.of());
    }

    /**
     * Parses the option's value: comma-separated names or {@code PREFIX*} patterns, or {@code *}.
     *
     * @throws IllegalArgumentException naming the option, for an empty or malformed entry
     */
    static TaskEnvironment parse(String text) {
        List<String> names = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String name = raw.strip();
            String bare = name.endsWith("*") ? name.substring(0, name.length() - 1) : name;
            if (name.isEmpty()
                    || bare.contains("*")
                    || bare.contains("=")
                    || bare.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        ProcessExecutorOptions.PASS_ENV
                                + ": \""
                                + raw.strip()
                                + "\" is not a variable name, a PREFIX* pattern or *");
            }
            names.add(name);
        }
        return new TaskEnvironment(names);
    }

    /** Whether the agent's variable {@code name} reaches tasks. */
    boolean passes(String name) {
        return matches(BASELINE, name) || matches(passed, name);
    }

    private static boolean matches(List<String> patterns, String name) {
        for (String p : patterns) {
            if (p.endsWith("*")
                    ? name.startsWith(p.substring(0, p.length() - 1))
                    : name.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The complete environment of a task's process.
     *
     * @param agent the agent's own environment ({@code System.getenv()})
     * @param task the task's {@code env}, laid over what passed
     * @param taskId set as {@code TASKEXEC_TASK_ID}
     */
    Map<String, String> build(Map<String, String> agent, Map<String, String> task, String taskId) {
        Map<String, String> env = new LinkedHashMap<>();
        agent.forEach(
                (name, value) -> {
                    if (passes(name)) {
                        env.put(name, value);
                    }
                });
        env.putAll(task);
        env.put(ProcessController.TASK_ID_ENV, Objects.requireNonNull(taskId, "taskId"));
        return Collections.unmodifiableMap(env);
    }
}
