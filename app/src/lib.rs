//! tokenfab's pages. The same components render on the server (feature
//! `ssr`) and hydrate in the browser (feature `hydrate`), where every figure
//! is recomputed by `tokenfab-core` compiled to WebAssembly.
// The planner's view types nest deeply; the compiler needs room to lay them out.
#![recursion_limit = "256"]

pub mod api;
pub mod chart_query;
#[cfg(feature = "ssr")]
mod compare;
mod fields;
pub mod format;
pub mod page_data;
mod planner;
#[cfg(feature = "ssr")]
mod shared;

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};

#[cfg(feature = "ssr")]
use compare::ComparePage;
use page_data::PageData;
use planner::PlannerPage;
#[cfg(feature = "ssr")]
use shared::SharedPage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    document(options, true)
}

/// The document for a page the server renders alone (a shared scenario, a
/// comparison): no hydration script, so the browser bundle carries none of
/// their code and they work without WebAssembly.
pub fn static_shell(options: LeptosOptions) -> impl IntoView {
    document(options, false)
}

/// The document, with the hydration script when the page `hydrates`.
fn document(options: LeptosOptions, hydrates: bool) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Applies the reader's light or dark choice before the page paints.
                <script src="/theme.js"></script>
                {hydrates.then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: its stylesheet, title and the page for the path.
///
/// One page needs no client-side router, and leaving it out keeps the
/// browser bundle about a third smaller.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let data = page_data::current();
    let embedded = data.as_ref().map(PageData::to_embedded_json);
    let path = current_path();
    let page = match (path.as_str(), data) {
        (
            "/",
            Some(PageData::Editor {
                deployment,
                copied_from,
            }),
        ) => EitherOf4::A(view! { <PlannerPage initial=deployment copied_from /> }),
        ("/", _) => EitherOf4::A(view! {
            <PlannerPage initial=tokenfab_core::deployment::Deployment::example() copied_from=None />
        }),
        // Drawn by the server alone (see `static_shell`): the browser
        // never hydrates them, so its bundle carries none of their code.
        #[cfg(feature = "ssr")]
        (
            p,
            Some(PageData::Shared {
                id,
                name,
                notes,
                deployment,
            }),
        ) if p.starts_with("/s/") => {
            EitherOf4::B(view! { <SharedPage id name notes deployment /> })
        }
        #[cfg(feature = "ssr")]
        ("/compare", Some(PageData::Compare { items, baseline })) => {
            EitherOf4::C(view! { <ComparePage items baseline /> })
        }
        #[cfg(not(feature = "ssr"))]
        (_, Some(PageData::Shared { .. })) => EitherOf4::B(()),
        #[cfg(not(feature = "ssr"))]
        (_, Some(PageData::Compare { .. })) => EitherOf4::C(()),
        _ => EitherOf4::D(view! { <NotFound /> }),
    };
    view! {
        <Stylesheet id="leptos" href="/pkg/tokenfab.css" />
        // What the server rendered from, for the browser to hydrate from.
        {embedded.map(|json| view! { <script type="application/json" id="page-data" inner_html=json></script> })}
        // Wired by /theme.js, not by the app, so it works on pages that
        // never hydrate; the markup equals `search_page::render::THEME_SWITCH`.
        <aside class="display" aria-label="Display">
            <button type="button" id="theme-switch" class="theme-switch" aria-pressed="false">"Dark theme"</button>
        </aside>
        {page}
    }
}

/// The path of the page being rendered: the request's on the server, the
/// address bar's in the browser.
fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map_or_else(|| "/".to_owned(), |p| p.uri.path().to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            location().pathname().unwrap_or_else(|_| "/".to_owned())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            "/".to_owned()
        }
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found: tokenfab" />
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the planner"</a></p>
        </main>
    }
}

/// Browser entry point: attaches the server-rendered page to the reactive app.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
}
