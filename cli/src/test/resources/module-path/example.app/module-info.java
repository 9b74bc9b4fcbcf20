// An application on the module path: it names only taskexec-core; the backends reach it through
// service binding (core `uses` ExecutorProvider; each backend module `provides` it).
module example.app {
    requires dev.taskexec.core;
}
