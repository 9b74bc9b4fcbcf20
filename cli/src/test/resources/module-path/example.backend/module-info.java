// A third-party backend shipped as a named module: it registers its provider with `provides`
// and has no META-INF/services file, so only the module system can find it.
module example.backend {
    requires dev.taskexec.api;

    provides dev.taskexec.api.ExecutorProvider with example.backend.EchoProvider;
}
