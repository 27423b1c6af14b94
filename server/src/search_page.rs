//! The `/search` page and its Pareto charts. The query string is the
//! search: the server runs it and writes the page, answer included, so the
//! link works without script; the page's own module then runs further
//! searches in the browser.

use std::time::Instant;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use leptos::nonce::Nonce;
use search_page::SearchForm;
use search_page::render::{self, Saved, Timing};
use serde::Deserialize;
use tokenfab_core::search::Search;

use crate::AppState;
use crate::api::input::{check_query_length, check_text};
use crate::api::{BODY_LIMIT_BYTES, QUERY_LIMIT_BYTES};
use crate::charts::SearchChart;
use crate::db::Db;
use crate::error::HttpError;

/// The search page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(page))
        // A name and a query: well under the API's body limit.
        .route(
            "/search/save",
            post(save).layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES)),
        )
        .route("/search/s/{id}", get(saved))
        .route("/search/{chart}", get(chart))
}

/// The page for the search in the query; a query that does not read, or a
/// search that cannot run, is shown on the page with the form to fix it.
async fn page(uri: Uri) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    render_page(uri.query().unwrap_or_default().to_owned(), None).await
}

/// The page of a saved search, run again.
async fn saved(State(db): State<Db>, Path(id): Path<String>) -> Result<Response, HttpError> {
    let (name, query) = db.search(&id).await?.ok_or_else(|| HttpError::NotFound {
        message: format!("id: no saved search {id:?}"),
        field: Some("id".to_owned()),
    })?;
    render_page(query, Some((id, name))).await
}

/// What the save form sends.
#[derive(Deserialize)]
struct SaveSearch {
    /// The name to save it under.
    name: String,
    /// The search page's query string.
    query: String,
}

/// Saves a search that runs, then shows it at its short link.
async fn save(State(db): State<Db>, Form(form): Form<SaveSearch>) -> Result<Response, HttpError> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(HttpError::Invalid {
            message: "name: give the search a name".to_owned(),
            field: Some("name".to_owned()),
        });
    }
    check_text("name", name, 200)?;
    if form.query.len() > QUERY_LIMIT_BYTES {
        return Err(HttpError::Invalid {
            message: format!("query: longer than {QUERY_LIMIT_BYTES} bytes"),
            field: Some("query".to_owned()),
        });
    }
    // Only a search that runs is worth a link.
    let parsed = SearchForm::parse(&form.query).map_err(|e| HttpError::Invalid {
        message: format!("query: {e}"),
        field: Some("query".to_owned()),
    })?;
    Search::new(&parsed.request())?;
    let id = db.save_search(name, &parsed.to_query()).await?;
    Ok(Redirect::to(&format!("/search/s/{id}")).into_response())
}

/// Runs the search `query` describes off the async workers and writes its page.
async fn render_page(
    query: String,
    saved: Option<(String, String)>,
) -> Result<Response, HttpError> {
    let (form, answer) = tokio::task::spawn_blocking(move || match SearchForm::parse(&query) {
        Ok(form) => {
            let started = Instant::now();
            let answer = Search::new(&form.request())
                .map(|search| {
                    let progress = search.run_steps();
                    let ms = started.elapsed().as_secs_f64() * 1e3;
                    let outcome = search.finish(progress);
                    let timing = Timing {
                        ms,
                        ranges_ms: started.elapsed().as_secs_f64() * 1e3 - ms,
                        in_browser: false,
                    };
                    (outcome, timing)
                })
                .map_err(|e| e.to_string());
            (form, answer)
        }
        Err(e) => (SearchForm::default(), Err(e.to_string())),
    })
    .await
    .map_err(|e| HttpError::Internal(e.to_string()))?;
    let nonce = Nonce::new();
    let status = if answer.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let policy = crate::hardening::page_policy(&nonce.to_string());
    Ok((
        status,
        [(header::CONTENT_SECURITY_POLICY, policy)],
        Html(render::page(
            &form,
            &answer,
            saved.as_ref().map(|(id, name)| Saved { id, name }),
            &nonce.to_string(),
        )),
    )
        .into_response())
}

/// A Pareto chart of the search in the query, as SVG.
async fn chart(Path(name): Path<String>, uri: Uri) -> Result<Response, HttpError> {
    check_query_length(&uri)?;
    let kind = name
        .strip_suffix(".svg")
        .and_then(SearchChart::from_slug)
        .ok_or_else(|| HttpError::NotFound {
            message: format!(
                "kind: no chart {name:?}; the charts are pareto-energy.svg and pareto-speed.svg"
            ),
            field: Some("kind".to_owned()),
        })?;
    let query = uri.query().unwrap_or_default().to_owned();
    let svg = tokio::task::spawn_blocking(move || {
        let form = SearchForm::parse(&query).map_err(|e| HttpError::Invalid {
            message: e.to_string(),
            field: Some(e.field.clone()),
        })?;
        let search = Search::new(&form.request())?;
        kind.render(&search).map_err(|e| HttpError::Invalid {
            message: e.to_string(),
            field: None,
        })
    })
    .await
    .map_err(|e| HttpError::Internal(e.to_string()))??;
    // The same query always draws the same chart, until the catalogue changes.
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}
