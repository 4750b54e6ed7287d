import DriftConfig
import DriftCore
import DriftStore
import DriftSystem
import Hummingbird
import Logging
import NIOCore
import PostgresDriver

/// What the agent's HTTP application needs: its configuration, the database pool and the accepted tokens.
package struct AgentEnvironment: Sendable {
    package let configuration: DriftwatchConfiguration
    package let pool: PostgresPool
    /// Accepted bearer tokens (ignored when authentication is off).
    package let tokens: Set<String>
    package let metrics: AgentMetrics
    /// Window state shared by the ingest routes and the `WindowCloser`.
    package let windows: WindowRegistry
    /// The configured and registered models.
    package let models: ModelCatalog
    /// Decoded champion models, for `POST /v1/models/{model}/predict`.
    package let champions = ChampionCache()
    /// The days whose prediction partition exists, for the per-request partition cap.
    package let partitions = PartitionDirectory()
    /// Wall time (µs) that event times are judged against (`max_future_skew`, retention); tests set it.
    package let clock: @Sendable () -> Int64

    package init(
        configuration: DriftwatchConfiguration, pool: PostgresPool, tokens: Set<String>,
        metrics: AgentMetrics = AgentMetrics(), windows: WindowRegistry = WindowRegistry(),
        clock: @escaping @Sendable () -> Int64 = { WallClock.microseconds() }
    ) {
        self.clock = clock
        self.configuration = configuration
        self.pool = pool
        self.tokens = tokens
        self.metrics = metrics
        self.windows = windows
        models = ModelCatalog(configuration: configuration)
    }
}

/// Builds the agent's router: `/healthz`, `/readyz` and `/openapi.json` without authentication; `/metrics`
/// and everything under `/v1` behind bearer tokens. Tests call this too (with `app.test(.router)` or `.live`).
package func buildRouter(_ environment: AgentEnvironment) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: RequestMetricsMiddleware(metrics: environment.metrics))
    router.add(middleware: ErrorMiddleware(logger: Logger(label: "driftwatch.http")))
    HealthRoutes(environment: environment).register(on: router)
    OpenAPIRoutes().register(on: router)
    let api = router.group("v1")
    let metrics = router.group("metrics")
    if environment.configuration.auth.enabled {
        api.add(middleware: BearerAuthMiddleware(tokens: environment.tokens))
        metrics.add(middleware: BearerAuthMiddleware(tokens: environment.tokens))
    }
    metrics.get { _, _ in
        let pool = await environment.pool.statistics
        environment.metrics.publishPool(inUse: pool.inUse, waiting: pool.waiting, size: pool.size)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: environment.metrics.exposition())))
    }
    ModelRoutes(environment: environment).register(on: api)
    IngestRoutes(environment: environment).register(on: api)
    SeriesRoutes(environment: environment).register(on: api)
    ReferenceRoutes(environment: environment).register(on: api)
    StatusRoutes(environment: environment).register(on: api)
    AlertRoutes(environment: environment).register(on: api)
    ReportRoutes(environment: environment).register(on: api)
    RetrainRoutes(environment: environment).register(on: api)
    PredictRoutes(environment: environment).register(on: api)
    CloudEventRoutes(environment: environment).register(on: api)
    return router
}

/// Builds the agent's application listening where the configuration says, closing idle connections
/// after `server.idle_timeout` and requests not read whole within `server.read_timeout`.
package func buildApplication(_ environment: AgentEnvironment, logger: Logger) -> some ApplicationProtocol {
    let server = environment.configuration.server
    let readTimeout = TimeAmount.seconds(Int64(server.readTimeoutSeconds))
    return Application(
        router: buildRouter(environment),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: readTimeout)],
                idleTimeout: .seconds(Int64(server.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(server.host, port: server.port), serverName: "driftwatch"),
        logger: logger)
}
