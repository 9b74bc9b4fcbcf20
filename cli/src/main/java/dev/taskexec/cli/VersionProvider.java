package dev.taskexec.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code taskexec --version}: the version the jar was built as (its manifest's
 * {@code Implementation-Version}), and the Java runtime it runs on.
 */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {
            "taskexec " + (version != null ? version : "(development build, not from the jar)"),
            "Java "
                    + System.getProperty("java.version")
                    + " ("
                    + System.getProperty("java.vm.name")
                    + "), "
                    + System.getProperty("os.name")
                    + " "
                    + System.getProperty("os.arch"),
        };
    }
}
