//! The HTML pages: the planner (optionally starting from a copy of a saved
//! scenario) and a saved scenario behind its share link, with the share
//! link's stable chart URLs.

use app::page_data::LinkPreview;
use app::page_data::{Compared, PageData};
use app::{shell, static_shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::nonce::Nonce;
use leptos::prelude::{LeptosOptions, provide_context};
use serde::Deserialize;

use crate::AppState;
use crate::api::input::{check_query_length, decode_deployment};
use crate::charts::CompareChart;
use crate::db::Db;
use crate::error::HttpError;
use crate::service::chart::{self, Format};
use crate::service::store;
use app::chart_query::DeploymentChart;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(planner))
        .route("/s/{id}", get(shared))
        .route("/s/{id}/preview.png", get(shared_preview))
        .route("/s/{id}/{chart}", get(shared_chart))
        .route("/compare", get(compare))
        .route("/compare.csv", get(compare_csv))
        .route("/compare/{chart}", get(compare_chart))
        .route("/accuracy", get(accuracy))
        // Browsers ask for this when a document (an SVG chart, a JSON
        // answer) names no icon.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/favicon.svg") }),
        )
}

/// The model against published measurements; the same for every request.
async fn accuracy() -> axum::response::Html<&'static str> {
    axum::response::Html(crate::accuracy::built_in_page())
}

/// Renders the app for `request`, with `data` for the page, inside
/// `document`: the hydrated `shell`, or `static_shell` for a page the server
/// alone draws (no WebAssembly downloaded for it). The
/// Content-Security-Policy lets only the page's own hydration script run.
async fn render<V: leptos::prelude::IntoView + 'static>(
    options: LeptosOptions,
    data: Option<PageData>,
    preview: Option<LinkPreview>,
    request: Request,
    document: fn(LeptosOptions) -> V,
) -> Response<Body> {
    let nonce = Nonce::new();
    let policy = crate::hardening::page_policy(&nonce);
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            // Replaces the one the renderer made, so the header can name it.
            provide_context(nonce.clone());
            if let Some(data) = data.clone() {
                provide_context(data);
            }
            if let Some(preview) = preview.clone() {
                provide_context(preview);
            }
        },
        move || document(options.clone()),
    );
    let mut response = handler(request).await;
    if let Ok(value) = header::HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The saved scenario `id`, if the id is well-formed and saved.
async fn saved(db: &Db, id: &str) -> Result<Option<crate::db::StoredScenario>, HttpError> {
    Ok(store::load(db, id).await?)
}

#[derive(Deserialize)]
struct PlannerQuery {
    /// A saved scenario to start from.
    copy: Option<String>,
    /// A deployment to start from, as URL-safe base64 JSON: the planner's
    /// own state in its address, or a search's candidate.
    scenario: Option<String>,
}

async fn planner(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response<Body>, HttpError> {
    // A query that does not parse is ignored: the planner opens as usual.
    let query = Query::<PlannerQuery>::try_from_uri(request.uri())
        .ok()
        .map(|Query(q)| q);
    let (copy, scenario) = query.map_or((None, None), |q| (q.copy, q.scenario));
    let data = match (copy, scenario) {
        (Some(id), _) => saved(&state.db, &id).await?.map(|s| PageData::Editor {
            deployment: s.inputs.deployment(),
            copied_from: Some(s.id),
        }),
        // A deployment that does not read opens the planner as usual too.
        (None, Some(text)) if text.len() <= crate::api::QUERY_LIMIT_BYTES => {
            decode_deployment("scenario", &text)
                .ok()
                .map(|deployment| PageData::Editor {
                    deployment,
                    copied_from: None,
                })
        }
        _ => None,
    };
    Ok(render(state.leptos.clone(), data, None, request, shell).await)
}

async fn shared(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response<Body>, HttpError> {
    // Without data the app renders its not-found page, with status 404.
    let stored = saved(&state.db, &id).await?;
    let preview = stored.as_ref().map(|s| {
        let base = public_base(&state.settings, &request);
        LinkPreview {
            page_url: format!("{base}/s/{}", s.id),
            image_url: format!("{base}/s/{}/preview.png?revision={}", s.id, s.revision),
        }
    });
    let data = stored.map(|s| PageData::Shared {
        deployment: s.inputs.deployment(),
        id: s.id,
        name: s.name,
        notes: s.notes,
    });
    Ok(render(state.leptos.clone(), data, preview, request, static_shell).await)
}

/// Most scenarios side by side.
const COMPARE_MAX: usize = 4;

#[derive(Deserialize)]
struct CompareQuery {
    /// Comma-separated ids of saved scenarios.
    ids: Option<String>,
    /// The planner's current, unsaved deployment, as URL-safe base64 JSON.
    current: Option<String>,
}

/// The baseline a comparison's link names (`&baseline=1`), else the first.
fn baseline_of(uri: &axum::http::Uri) -> usize {
    #[derive(Deserialize)]
    struct Baseline {
        baseline: Option<usize>,
    }
    Query::<Baseline>::try_from_uri(uri)
        .ok()
        .and_then(|Query(b)| b.baseline)
        .unwrap_or(0)
}

/// Name shown for the planner's current scenario.
const CURRENT_NAME: &str = "Current scenario (unsaved)";

/// What `?ids=a,b,...[&current=...]` names: two to four scenarios, every id
/// saved, else none; a malformed current scenario is an error naming it.
async fn compared(db: &Db, uri: &axum::http::Uri) -> Result<Option<Vec<Compared>>, HttpError> {
    check_query_length(uri)?;
    let query = Query::<CompareQuery>::try_from_uri(uri)
        .map(|Query(q)| q)
        .unwrap_or(CompareQuery {
            ids: None,
            current: None,
        });
    let ids: Vec<String> = query
        .ids
        .map(|ids| {
            ids.split(',')
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut items = Vec::new();
    if let Some(current) = query.current {
        items.push(Compared {
            id: None,
            name: CURRENT_NAME.to_owned(),
            deployment: decode_deployment("current", &current)?,
        });
    }
    if !(2..=COMPARE_MAX).contains(&(items.len() + ids.len())) {
        return Ok(None);
    }
    for id in &ids {
        match saved(db, id).await? {
            Some(s) => items.push(Compared {
                deployment: s.inputs.deployment(),
                id: Some(s.id),
                name: s.name,
            }),
            // One unknown id: nothing to compare.
            None => return Ok(None),
        }
    }
    Ok(Some(items))
}

async fn compare(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response<Body>, HttpError> {
    // Without data the app renders its not-found page, with status 404.
    let items = compared(&state.db, request.uri()).await?;
    // The picture of the first saved scenario compared (there is always
    // one: at most one is the unsaved current scenario).
    let preview = items.as_ref().and_then(|items| {
        let first = items.iter().find_map(|c| c.id.as_ref())?;
        let base = public_base(&state.settings, &request);
        let page = request
            .uri()
            .path_and_query()
            .map_or("/compare", |p| p.as_str());
        Some(LinkPreview {
            page_url: format!("{base}{page}"),
            image_url: format!("{base}/s/{first}/preview.png"),
        })
    });
    let data = items.map(|items| PageData::Compare {
        baseline: baseline_of(request.uri()),
        items,
    });
    Ok(render(state.leptos.clone(), data, preview, request, static_shell).await)
}

/// The comparison `?ids=…[&current=…]` as CSV, for a spreadsheet.
async fn compare_csv(State(db): State<Db>, uri: axum::http::Uri) -> Result<Response, HttpError> {
    let items = compared(&db, &uri)
        .await?
        .ok_or_else(|| HttpError::NotFound {
            message: "ids: name two to four saved scenarios (and at most one current)".to_owned(),
            field: Some("ids".to_owned()),
        })?;
    let csv = crate::export::comparison_csv(&items).map_err(HttpError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tokenfab-comparison.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

async fn compare_chart(
    State(db): State<Db>,
    Path(chart): Path<String>,
    uri: axum::http::Uri,
) -> Result<Response, HttpError> {
    let kind = chart
        .strip_suffix(".svg")
        .and_then(CompareChart::from_slug)
        .ok_or_else(|| HttpError::NotFound {
            message: format!("kind: no chart {chart:?}"),
            field: Some("kind".to_owned()),
        })?;
    let items = compared(&db, &uri)
        .await?
        .ok_or_else(|| HttpError::NotFound {
            message: "ids: two to four scenarios in all, saved ones comma-separated (plus current)"
                .to_owned(),
            field: Some("ids".to_owned()),
        })?;
    let scenarios: Vec<(String, tokenfab_core::deployment::Deployment)> =
        items.into_iter().map(|c| (c.name, c.deployment)).collect();
    let svg = kind.render(&scenarios).map_err(|e| HttpError::Invalid {
        message: e.to_string(),
        field: None,
    })?;
    // The scenarios behind the ids may be changed by their owners.
    Ok(svg_revalidated(svg))
}

/// An SVG answer that caches must revalidate: the scenarios behind it may change.
fn svg_revalidated(svg: String) -> Response {
    revalidated(svg.into_bytes(), Format::Svg)
}

/// A chart that caches must revalidate: the scenarios behind it may change.
fn revalidated(bytes: Vec<u8>, format: Format) -> Response {
    let media = match format {
        Format::Svg => "image/svg+xml; charset=utf-8",
        Format::Png => "image/png",
    };
    (
        [
            (header::CONTENT_TYPE, media),
            (header::CACHE_CONTROL, "public, no-cache"),
        ],
        bytes,
    )
        .into_response()
}

/// Where people reach this server: the operator's `--public-url`, else the
/// request's `Host` over http.
fn public_base(settings: &crate::config::Settings, request: &Request) -> String {
    if let Some(url) = &settings.public_url {
        return url.clone();
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'<' && b != b'>')
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The picture a chat shows for scenario `id`'s share link: 1200 × 630,
/// its name, headline figures and cost chart, tagged with its revision.
async fn shared_preview(
    State(db): State<Db>,
    Path(id): Path<String>,
    headers: header::HeaderMap,
) -> Result<Response, HttpError> {
    let stored = saved(&db, &id).await?.ok_or_else(|| HttpError::NotFound {
        message: format!("id: no saved scenario {id:?}"),
        field: Some("id".to_owned()),
    })?;
    let tag = format!("\"{}\"", stored.revision);
    let cache = [
        (header::CACHE_CONTROL, "public, no-cache".to_owned()),
        (header::ETAG, tag.clone()),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(tag.as_str())
    {
        return Ok((axum::http::StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let bytes = tokio::task::spawn_blocking(move || crate::service::preview::png(&stored))
        .await
        .map_err(|e| HttpError::Internal(e.to_string()))?
        .map_err(|message| HttpError::Invalid {
            message,
            field: None,
        })?;
    Ok((
        [(header::CONTENT_TYPE, "image/png".to_owned())],
        cache,
        bytes.as_ref().clone(),
    )
        .into_response())
}

async fn shared_chart(
    State(db): State<Db>,
    Path((id, chart)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let (slug, format) = chart
        .rsplit_once('.')
        .and_then(|(slug, extension)| Some((slug, Format::from_extension(extension)?)))
        .ok_or_else(|| HttpError::NotFound {
            message: format!("kind: no chart {chart:?}"),
            field: Some("kind".to_owned()),
        })?;
    let kind = DeploymentChart::from_slug(slug).ok_or_else(|| HttpError::NotFound {
        message: format!("kind: no chart {chart:?}"),
        field: Some("kind".to_owned()),
    })?;
    let stored = saved(&db, &id).await?.ok_or_else(|| HttpError::NotFound {
        message: format!("id: no saved scenario {id:?}"),
        field: Some("id".to_owned()),
    })?;
    let deployment = stored.inputs.deployment();
    let bytes =
        chart::image(kind, format, &deployment.evaluated()?).map_err(|e| HttpError::Invalid {
            message: e.to_string(),
            field: None,
        })?;
    // Whoever holds the edit token can change the scenario behind the URL.
    Ok(revalidated(bytes, format))
}
