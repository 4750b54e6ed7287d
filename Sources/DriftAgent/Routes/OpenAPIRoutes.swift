import Hummingbird

/// `GET /openapi.json`: the agent's OpenAPI document (`docs/openapi.yaml`, embedded by
/// `scripts/embed-openapi.py`), without authentication, like `/healthz`: it describes the API and holds no
/// data.
struct OpenAPIRoutes: Sendable {
    func register(on router: Router<BasicRequestContext>) {
        router.get("openapi.json") { _, _ in JSONResponse.make(OpenAPIDocument.json) }
    }
}
