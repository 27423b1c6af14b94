//! The trade-off charts: images the server draws from the deployment in
//! their URL. They follow the last valid inputs a moment after typing
//! stops, so drawing never holds up the keyboard.

use leptos::prelude::*;
use tokenfab_core::deployment::{Deployment, DeploymentReport};

use crate::chart_query::{DeploymentChart, deployment_chart_url, shared_chart_url};

/// How long the inputs must rest before the charts are redrawn.
#[cfg(feature = "hydrate")]
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);

/// The seven charts with their download links. A saved scenario's charts use
/// its stable short URLs.
#[component]
pub fn Charts(
    evaluated: Memo<(Deployment, DeploymentReport)>,
    #[prop(optional)] shared_id: Option<String>,
) -> impl IntoView {
    let drawn = RwSignal::new(evaluated.with_untracked(|(d, _)| d.clone()));
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
        Effect::new(move |_| {
            let deployment = evaluated.with(|(d, _)| d.clone());
            if drawn.with_untracked(|d| *d == deployment) {
                return;
            }
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let handle = set_timeout_with_handle(move || drawn.set(deployment), SETTLE).ok();
            pending.set_value(handle);
        });
    }
    view! {
        <div class="charts">
            {DeploymentChart::ALL
                .into_iter()
                .map(|chart| {
                    let (kind, description) = (chart.slug(), chart.description());
                    let shared_id = shared_id.clone();
                    let url = {
                        let shared_id = shared_id.clone();
                        Signal::derive(move || match &shared_id {
                            Some(id) => shared_chart_url(id, chart),
                            None => drawn.with(|d| deployment_chart_url(chart, d)),
                        })
                    };
                    let svg_name = format!("tokenfab-{kind}.svg");
                    let png_name = format!("tokenfab-{kind}.png");
                    // A saved scenario's page is the server's alone: its PNG
                    // is drawn there too.
                    let png = match &shared_id {
                        Some(id) => leptos::either::Either::Left(view! {
                            <a href=format!("/s/{id}/{kind}.png") download=png_name.clone()>"PNG"</a>
                        }),
                        None => leptos::either::Either::Right(view! {
                            <button type="button" class="link"
                                on:click=move |_| download_png(url.get_untracked(), png_name.clone())>
                                "PNG"
                            </button>
                        }),
                    };
                    view! {
                        <figure class="chart">
                            <img id=format!("chart-{kind}") width="640" height="360" src=url alt=description />
                            <figcaption>
                                {description}
                                <span class="downloads">
                                    <a href=url download=svg_name>"SVG"</a>
                                    {png}
                                </span>
                            </figcaption>
                        </figure>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Rasterises the chart at `url` at twice its size and downloads it as `name`.
#[cfg(feature = "hydrate")]
fn download_png(url: String, name: String) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let loaded = image.clone();
    let on_load = Closure::once(move || {
        let (width, height) = (1280, 720);
        let Some(canvas) = document
            .create_element("canvas")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width(width);
        canvas.set_height(height);
        let Some(context) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let drawn = context.draw_image_with_html_image_element_and_dw_and_dh(
            &loaded,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        );
        let Ok(data) = drawn.and_then(|()| canvas.to_data_url_with_type("image/png")) else {
            return;
        };
        if let Some(link) = document
            .create_element("a")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            link.set_href(&data);
            link.set_download(&name);
            link.click();
        }
    });
    image.set_onload(Some(on_load.as_ref().unchecked_ref()));
    // The closure must outlive this call; it runs once when the image loads.
    on_load.forget();
    image.set_src(&url);
}

/// On the server there is nothing to download.
#[cfg(not(feature = "hydrate"))]
fn download_png(_url: String, _name: String) {}
