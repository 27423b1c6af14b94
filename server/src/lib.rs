#![recursion_limit = "256"]
//! The tokenfab server: the Leptos app rendered and hydrated, the REST API,
//! server-drawn charts, the SQLite store, and the command line.

pub mod accuracy;
pub mod api;
pub mod calibrate_page;
pub mod charts;
pub mod cli;
pub mod config;
pub mod db;
pub mod draft_export;
pub mod error;
pub mod export;
pub mod hardening;
pub mod html;
pub mod openapi;
pub mod pages;
pub mod ranges_page;
pub mod search_page;
pub mod service;

use std::path::Path;
use std::sync::Arc;

use app::static_shell;
use axum::Router;
use axum::extract::FromRef;
use axum::middleware;
use leptos::prelude::LeptosOptions;
use tower_http::catch_panic::CatchPanicLayer;

use crate::config::ServeArgs;
use crate::db::Db;

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The scenario store.
    pub db: Db,
    /// Where the front end's files are and what they are called.
    pub leptos: LeptosOptions,
    /// What the operator set.
    pub settings: Arc<config::Settings>,
}

impl FromRef<AppState> for Arc<config::Settings> {
    fn from_ref(state: &AppState) -> Self {
        state.settings.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

/// Leptos settings for a site built into `site_root` and served at `args.addr`.
pub fn leptos_options(site_root: &Path, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("tokenfab")
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// The whole application as one router; tests call it without a socket.
pub fn router(state: AppState) -> Router {
    // Rendering spawns tasks on tokio; a second call (another router in
    // the same process, as in tests) finds it set up already.
    let _ = any_spawner::Executor::init_tokio();
    let settings = state.settings.clone();
    let limiter = Arc::new(hardening::WriteLimiter::new(
        state.db.clone(),
        db::WriteLimit {
            per_minute: settings.writes_per_minute,
            burst: settings.write_burst,
        },
        settings.trusted_proxies.clone(),
    ));
    // Layers wrap what is above them: the last added runs first.
    Router::new()
        .merge(api::router())
        .merge(pages::router())
        .merge(search_page::router())
        .merge(ranges_page::router())
        .merge(draft_export::router())
        .merge(calibrate_page::router())
        // Static files; any other path renders the app's not-found page
        // (404), drawn by the server alone: it has nothing to hydrate.
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            static_shell,
        ))
        .with_state(state)
        .layer(middleware::from_fn_with_state(
            limiter,
            hardening::limit_writes,
        ))
        .layer(CatchPanicLayer::custom(hardening::panic_as_problem))
        .layer(middleware::from_fn(hardening::bare_errors_as_problems))
        .layer(middleware::from_fn_with_state(
            settings.request_timeout,
            hardening::time_limit,
        ))
        .layer(middleware::from_fn(hardening::security_headers))
        .layer(middleware::from_fn(hardening::request_id))
}

/// Opens the store, binds the address and serves until SIGINT or SIGTERM,
/// letting requests in flight finish.
///
/// # Errors
/// When the database cannot be opened or the address cannot be bound.
pub async fn serve(args: ServeArgs) -> Result<(), String> {
    let db = match &args.database_url {
        Some(url) => Db::connect(url, args.pool_settings()).await,
        None => Db::open(&args.data_dir, args.pool_settings()).await,
    }
    .map_err(|e| format!("database: {e}"))?;
    let state = AppState {
        db,
        leptos: leptos_options(&args.site_root, args.addr),
        settings: Arc::new(args.settings()),
    };
    if !args.site_root.join("pkg").join("tokenfab.wasm").exists() {
        tracing::warn!(
            site_root = %args.site_root.display(),
            "front end not built: pages render but will not hydrate (run scripts/build-site.sh)"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    match &args.database_url {
        Some(url) => tracing::info!(url = %db::without_password(url), "database ready"),
        None => tracing::info!(data_dir = %args.data_dir.display(), "database ready"),
    }
    println!("tokenfab is running at http://{local}/");
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
