//! The page's own module in the browser: a submitted form runs the search
//! here, a few milliseconds of steps at a time so the page keeps answering,
//! with a progress bar and a stop button, then the best candidates' ranges
//! the same way; the answer is written with the
//! server's HTML functions and the address becomes the search's link.

use std::cell::Cell;
use std::rc::Rc;

use tokenfab_core::search::{Progress, Search};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Event, FormData, HtmlFormElement, HtmlProgressElement, UrlSearchParams};

use crate::query::SearchForm;
use crate::render::{self, Timing};

/// Longest run of steps between two looks at the page, ms.
const SLICE_MS: f64 = 8.0;

/// Takes over the form's submit once the module has loaded.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(form) = document
        .get_element_by_id("search-form")
        .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let stop = Rc::new(Cell::new(false));
    if let Some(button) = document.get_element_by_id("search-stop") {
        let stop = stop.clone();
        let on_click = Closure::<dyn FnMut()>::new(move || stop.set(true));
        let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
    }
    let running = Rc::new(Cell::new(false));
    let submitted = form.clone();
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        if running.replace(true) {
            return;
        }
        stop.set(false);
        let query = form_query(&submitted);
        let (stop, running) = (stop.clone(), running.clone());
        wasm_bindgen_futures::spawn_local(async move {
            run(&query, &stop).await;
            running.set(false);
        });
    });
    let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    if let Some(page) = document.get_element_by_id("search-page") {
        let _ = page.set_attribute("data-ready", "true");
    }
}

/// The form's fields as a query string.
fn form_query(form: &HtmlFormElement) -> String {
    FormData::new_with_form(form)
        .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
        .map(|params| String::from(params.to_string()))
        .unwrap_or_default()
}

/// Runs the search `query` describes and writes its answer.
async fn run(query: &str, stop: &Cell<bool>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let now = || window.performance().map_or(0.0, |p| p.now());
    let answer = |html: &str| set_html(&document, "search-answer", html);
    let form = match SearchForm::parse(query) {
        Ok(form) => form,
        Err(e) => return answer(&render::problem(&e.to_string())),
    };
    let search = match Search::new(&form.request()) {
        Ok(search) => search,
        Err(e) => return answer(&render::problem(&e.to_string())),
    };
    let steps = search.steps();
    let bar = document
        .get_element_by_id("search-bar")
        .and_then(|e| e.dyn_into::<HtmlProgressElement>().ok());
    if let Some(bar) = &bar {
        bar.set_max(steps.max(1) as f64);
        bar.set_value(0.0);
    }
    show(&document, "search-progress", true);
    let started = now();
    let mut progress = Progress::default();
    let mut next = 0;
    while next < steps && !stop.get() {
        let slice = now();
        while next < steps && now() - slice < SLICE_MS {
            search.step(next, &mut progress);
            next += 1;
        }
        if let Some(bar) = &bar {
            bar.set_value(next as f64);
        }
        set_text(
            &document,
            "search-status",
            &format!(
                "{next} of {steps} configurations, {} candidates",
                progress.candidates()
            ),
        );
        yield_to_page().await;
    }
    let ms = now() - started;
    // The ranking's ranges, a candidate or a few at a time.
    let drawing_started = now();
    let mut drawing = search.drawing(&progress);
    let mut more = !stop.get();
    while more && !stop.get() {
        let slice = now();
        while more && now() - slice < SLICE_MS {
            more = search.draw_next(&progress, &mut drawing);
        }
        set_text(
            &document,
            "search-status",
            &format!(
                "drawing the ranges of the best: {} of {}",
                drawing.drawn(),
                drawing.to_draw()
            ),
        );
        yield_to_page().await;
    }
    let ranges_ms = now() - drawing_started;
    let outcome = search.finish_drawn(progress, drawing);
    let link = form.to_query();
    answer(&render::results(
        &outcome,
        &link,
        Timing {
            ms,
            ranges_ms,
            in_browser: true,
        },
    ));
    show(&document, "search-progress", false);
    if let Some(page) = document.get_element_by_id("search-page") {
        let _ = page.set_attribute("data-search-ms", &format!("{ms:.1}"));
        let _ = page.set_attribute("data-ranges-ms", &format!("{ranges_ms:.1}"));
        let _ = page.set_attribute("data-candidates", &outcome.size.candidates.to_string());
    }
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("/search?{link}")));
    }
}

/// Lets the page draw and handle input before the next slice. A message
/// to itself comes back as soon as the page is free, where a chain of
/// zero-delay timers would be held back 4 ms each.
async fn yield_to_page() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}

fn set_html(document: &Document, id: &str, html: &str) {
    if let Some(e) = document.get_element_by_id(id) {
        e.set_inner_html(html);
    }
}

fn set_text(document: &Document, id: &str, text: &str) {
    if let Some(e) = document.get_element_by_id(id) {
        e.set_text_content(Some(text));
    }
}

fn show(document: &Document, id: &str, visible: bool) {
    if let Some(e) = document.get_element_by_id(id) {
        if visible {
            let _ = e.remove_attribute("hidden");
        } else {
            let _ = e.set_attribute("hidden", "");
        }
    }
}
