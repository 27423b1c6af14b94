//! Form fields with their units and inline errors.

use leptos::prelude::*;

/// A labelled numeric input with its unit and an inline error. The text is
/// kept as typed; parsing and range checks happen in the core.
#[component]
pub fn NumberField(
    /// Element id, also the form name.
    id: &'static str,
    /// Label text.
    label: &'static str,
    /// Unit shown beside the input (money in the form's currency).
    unit: Signal<String>,
    /// The text as typed.
    value: RwSignal<String>,
    /// The problem with the current text, if any.
    error: Signal<Option<String>>,
    /// A short hint under the label.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <div class="input-with-unit">
                <input
                    id=id
                    name=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    // The attribute carries the first paint; the property
                    // follows later edits, including programmatic ones.
                    value=value.get_untracked()
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                />
                <span class="unit">{unit}</span>
            </div>
            <p class="hint">{hint}</p>
            <p class="error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
