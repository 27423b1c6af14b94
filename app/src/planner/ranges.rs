//! How sure the person is of their inputs: a low and a high for any
//! numeric input, kept with the deployment; the figures then show their
//! P10 to P90, drawn after the inputs rest.

use leptos::prelude::*;
use tokenfab_core::deployment::fields;
use tokenfab_core::uncertainty::{InputRange, Ranges};

use super::form::Form;

/// The words of the input at `path`.
fn name_of(path: &str) -> &'static str {
    fields::by_path(path).map_or("an input", |f| f.words.name)
}

/// The ranges panel.
#[component]
pub fn RangesPanel(form: Form) -> impl IntoView {
    let path = RwSignal::new(fields::USD_PER_GPU_HOUR.path().to_owned());
    let low = RwSignal::new(String::new());
    let high = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let change = move |edit: &dyn Fn(&mut Ranges)| {
        let mut ranges = form.ranges.get_untracked().unwrap_or_default();
        edit(&mut ranges);
        form.ranges.set(Some(ranges));
    };
    let add = move |_| {
        let read = |s: RwSignal<String>| s.with_untracked(|t| t.trim().parse::<f64>().ok());
        match (read(low), read(high)) {
            (Some(l), Some(h)) if l.is_finite() && h.is_finite() && l <= h => {
                problem.set(String::new());
                let key = path.get_untracked();
                change(&|r: &mut Ranges| {
                    r.inputs.retain(|i| i.input != key);
                    r.inputs.push(InputRange {
                        input: key.clone(),
                        low: l,
                        high: h,
                    });
                });
                low.set(String::new());
                high.set(String::new());
            }
            _ => problem.set("Give a low and a high, the low no higher than the high.".to_owned()),
        }
    };
    let listed = move || {
        form.ranges
            .with(|r| r.as_ref().map(|r| r.inputs.clone()).unwrap_or_default())
    };
    // One string of options rather than a view for each of them.
    let options: String = fields::ALL
        .iter()
        .map(|f| {
            format!(
                "<option value=\"{}\">{}</option>",
                f.path(),
                f.words.name.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    let model_error = move || {
        form.ranges
            .with(|r| r.as_ref().is_none_or(|r| r.model_error))
    };
    view! {
        <fieldset class="panel" id="ranges-panel">
            <legend>"How sure are you?"</legend>
            <p class="hint">"Give a low and a high for any input; the value above stays the most likely one. Each figure then shows its P10 to P90, drawn with the model's own measured error."</p>
            <ul class="range-list" id="range-list">
                {move || listed().into_iter().map(|i| {
                    let text = format!("{}: {} to {} ", name_of(&i.input), i.low, i.high);
                    let p = i.input;
                    view! {
                        <li>
                            {text}
                            <button type="button" class="link"
                                on:click=move |_| change(&|r: &mut Ranges| r.inputs.retain(|i| i.input != p))>
                                "Remove"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="row">
                <label for="range-input">"Input"</label>
                <select id="range-input" inner_html=options prop:value=path
                    on:change=move |ev| path.set(event_target_value(&ev))></select>
            </div>
            <div class="row">
                <label for="range-low">"Low"</label>
                <input id="range-low" type="text" inputmode="decimal" prop:value=low
                    on:input=move |ev| low.set(event_target_value(&ev)) />
                <label for="range-high">"High"</label>
                <input id="range-high" type="text" inputmode="decimal" prop:value=high
                    on:input=move |ev| high.set(event_target_value(&ev)) />
                <button type="button" id="range-add" on:click=add>"Add"</button>
            </div>
            <p class="error" id="range-problem" role="alert" hidden=move || problem.with(String::is_empty)>{problem}</p>
            <label class="check">
                <input type="checkbox" id="range-model-error" prop:checked=model_error
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        change(&|r: &mut Ranges| r.model_error = on);
                    } />
                " Include the model's measured error"
            </label>
        </fieldset>
    }
}
