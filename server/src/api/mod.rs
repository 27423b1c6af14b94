//! The versioned JSON API under `/api/v1`, with its OpenAPI document and
//! docs page. Every route is added through [`Api::add`] together with its
//! [`Operation`], so the document describes exactly the routes served.

mod accuracy;
pub mod calibrate;
mod catalogue;
mod charts;
mod evaluate;
pub mod hugging_face;
pub mod input;
pub mod operation;
mod ranges;
pub mod scenarios;
mod search;

use std::sync::{Arc, LazyLock};

use axum::Json;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use axum::{Router, extract::DefaultBodyLimit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::Db;
use crate::error::HttpError;
use operation::Operation;

pub use evaluate::{Evaluation, SweepRequest, SweepResponse};
pub use input::{BODY_LIMIT_BYTES, QUERY_LIMIT_BYTES};

/// The API's routes with their documentation, built together.
pub struct Api {
    router: Router<AppState>,
    operations: Vec<Operation>,
}

impl Api {
    /// Serves `handler` at `operation`'s method and path, and documents it.
    pub fn add<H, T>(mut self, operation: Operation, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route = on(method_filter(&operation.method), handler);
        self.router = self.router.route(operation.path, route);
        self.operations.push(operation);
        self
    }

    /// As [`Api::add`], with a larger body limit than the API's for this
    /// route (files sent as text).
    pub fn add_with_body_limit<H, T>(
        mut self,
        operation: Operation,
        handler: H,
        limit: usize,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route =
            on(method_filter(&operation.method), handler).layer(DefaultBodyLimit::max(limit));
        self.router = self.router.route(operation.path, route);
        self.operations.push(operation);
        self
    }

    /// The documented operations, in the order added.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }
}

/// The router's filter for `method`.
fn method_filter(method: &Method) -> MethodFilter {
    match *method {
        Method::POST => MethodFilter::POST,
        Method::PUT => MethodFilter::PUT,
        Method::DELETE => MethodFilter::DELETE,
        Method::PATCH => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}

/// The whole API.
pub fn api() -> Api {
    let api = Api {
        router: Router::new(),
        operations: Vec::new(),
    };
    let api = meta_routes(api);
    let api = evaluate::routes(api);
    let api = ranges::routes(api);
    let api = search::routes(api);
    let api = calibrate::routes(api);
    let api = hugging_face::routes(api);
    let api = scenarios::routes(api);
    let api = charts::routes(api);
    let api = accuracy::routes(api);
    catalogue::routes(api)
}

/// The operations, built once for the document and the docs page.
pub static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| api().operations);

/// The API's router, with its body limit.
pub fn router() -> Router<AppState> {
    api()
        .router
        .route("/api/docs", axum::routing::get(docs_page))
        // Anything else under /api is a problem, not the app's HTML 404.
        .route("/api", axum::routing::any(crate::hardening::api_not_found))
        .route("/api/", axum::routing::any(crate::hardening::api_not_found))
        .route(
            "/api/{*rest}",
            axum::routing::any(crate::hardening::api_not_found),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

/// Health, the document itself.
fn meta_routes(api: Api) -> Api {
    api.add(
        Operation::new(Method::GET, "/healthz", "health", "Service", "Health")
            .describe(
                "Whether the server and its database answer, which database it is (`sqlite` or `postgres`), and whether PNG charts have fonts.",
            )
            .json::<Health>(200, "Healthy.")
            .problems(&[(503, "The database does not answer.")]),
        health,
    )
    .add(
        Operation::new(
            Method::GET,
            "/api/v1/openapi.json",
            "openapi",
            "Service",
            "This API's OpenAPI 3.1 document",
        )
        .reply(200, "application/json", "The document."),
        openapi_document,
    )
}

/// The health check's answer.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// The server's version.
    pub version: String,
    /// Font faces found for PNG charts (0: their text is missing).
    pub font_faces: usize,
    /// The database the scenarios are kept in, which answered.
    pub database: crate::db::Engine,
}

async fn health(State(db): State<Db>) -> Result<Json<Health>, HttpError> {
    // The driver's error names the database's user, host and name: the
    // log keeps it, the answer does not.
    db.ping().await.map_err(|e| {
        tracing::error!(error = %e, "health check: the database does not answer");
        HttpError::Unavailable {
            message: format!("the {:?} database does not answer", db.engine()).to_lowercase(),
        }
    })?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        font_faces: crate::charts::png::font_faces(),
        database: db.engine(),
    }))
}

/// The document as served, built once.
static DOCUMENT: LazyLock<Arc<String>> =
    LazyLock::new(|| Arc::new(crate::openapi::document(&OPERATIONS).to_string()));

async fn openapi_document() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str().to_owned(),
    )
        .into_response()
}

/// The docs page, built once.
static DOCS: LazyLock<String> = LazyLock::new(|| crate::openapi::docs_page(&OPERATIONS));

async fn docs_page() -> Html<&'static str> {
    Html(DOCS.as_str())
}
