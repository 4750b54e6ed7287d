import ServiceLifecycle

/// The pool as a service: it serves until graceful shutdown, then closes. Listed first in a
/// `ServiceGroup`, it is shut down last, once every service that uses it has finished.
extension PostgresPool: Service {
    package func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
