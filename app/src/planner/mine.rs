//! "My scenarios": what this browser saved, newest first, with the edit
//! tokens that let it rename and delete them. Kept in the browser's local
//! storage only; the server never learns which browser saved what.

use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use tokenfab_core::deployment::Deployment;

use crate::api;
use crate::chart_query::compare_query;

/// Local-storage key of the list.
#[cfg(feature = "hydrate")]
const STORAGE_KEY: &str = "tokenfab.saved";

/// One scenario this browser saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mine {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The token that allows changing it.
    pub edit_token: String,
}

/// The list as stored, newest first (empty on the server).
pub fn load() -> Vec<Mine> {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
    }
}

/// Stores the list.
pub fn store(list: &[Mine]) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(text)) = (
        leptos::prelude::window().local_storage().ok().flatten(),
        serde_json::to_string(list),
    ) {
        // A full or disabled storage only loses the list, not the saves.
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = list;
}

/// The section listing `list`, with rename and delete, and ticks to compare
/// them with each other and with `current`, the planner's unsaved scenario.
#[component]
pub fn MyScenarios(list: RwSignal<Vec<Mine>>, current: Signal<Deployment>) -> impl IntoView {
    let status = RwSignal::new(String::new());
    // Ids ticked for comparison, in the order ticked.
    let ticked = RwSignal::new(Vec::<String>::new());
    let with_current = RwSignal::new(false);
    let compare_link = move || {
        let count = ticked.with(Vec::len) + usize::from(with_current.get());
        (2..=4).contains(&count).then(|| {
            let current = with_current.get().then(|| current.get());
            format!(
                "/compare?{}",
                ticked.with(|ids| compare_query(ids, current.as_ref()))
            )
        })
    };
    let set = move |next: Vec<Mine>| {
        store(&next);
        list.set(next);
    };
    let rename = move |mine: Mine, name: String| {
        leptos::task::spawn_local(async move {
            match api::rename_scenario(mine.id.clone(), mine.edit_token.clone(), name.clone()).await
            {
                Ok(()) => {
                    let next = list
                        .get_untracked()
                        .into_iter()
                        .map(|m| {
                            if m.id == mine.id {
                                Mine {
                                    name: name.clone(),
                                    ..m
                                }
                            } else {
                                m
                            }
                        })
                        .collect();
                    set(next);
                    status.set(format!("Renamed to \u{201c}{name}\u{201d}."));
                }
                Err(e) => status.set(format!("Not renamed: {e}")),
            }
        });
    };
    let delete = move |mine: Mine| {
        leptos::task::spawn_local(async move {
            match api::delete_scenario(mine.id.clone(), mine.edit_token.clone()).await {
                Ok(()) => {
                    let next = list
                        .get_untracked()
                        .into_iter()
                        .filter(|m| m.id != mine.id)
                        .collect();
                    set(next);
                    status.set("Deleted.".to_owned());
                }
                Err(e) => status.set(format!("Not deleted: {e}")),
            }
        });
    };
    view! {
        <section class="mine" id="my-scenarios" aria-labelledby="mine-title"
            hidden=move || list.with(Vec::is_empty)>
            <h2 id="mine-title">"My scenarios"</h2>
            <p class="hint">"Saved from this browser, newest first. Only this browser can rename or delete them."</p>
            <ul>
                <For each=move || list.get() key=|m| (m.id.clone(), m.name.clone()) let:mine>
                    {
                        let name = RwSignal::new(mine.name.clone());
                        let input_id = format!("rename-{}", mine.id);
                        let link = format!("/s/{}", mine.id);
                        let shown = if mine.name.trim().is_empty() { "Untitled scenario".to_owned() } else { mine.name.clone() };
                        let (for_rename, for_delete) = (mine.clone(), mine.clone());
                        let id = mine.id.clone();
                        let tick_id = format!("compare-{}", mine.id);
                        view! {
                            <li>
                                <input type="checkbox" id=tick_id.clone()
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        ticked.update(|ids| {
                                            ids.retain(|i| *i != id);
                                            if on { ids.push(id.clone()); }
                                        });
                                    } />
                                <label class="visually-hidden" for=tick_id>"Compare"</label>
                                " "
                                <a href=link>{shown}</a>
                                <span class="mine-actions">
                                    <label class="visually-hidden" for=input_id.clone()>"New name"</label>
                                    <input id=input_id type="text" maxlength="200"
                                        prop:value=name
                                        on:input=move |ev| name.set(event_target_value(&ev)) />
                                    <button type="button" class="link"
                                        on:click=move |_| rename(for_rename.clone(), name.get_untracked())>
                                        "Rename"
                                    </button>
                                    <button type="button" class="link danger"
                                        on:click=move |_| delete(for_delete.clone())>
                                        "Delete"
                                    </button>
                                </span>
                            </li>
                        }
                    }
                </For>
            </ul>
            <p class="compare-current">
                <input type="checkbox" id="compare-current"
                    on:change=move |ev| with_current.set(event_target_checked(&ev)) />
                " "
                <label for="compare-current">"Include the current scenario (unsaved)"</label>
            </p>
            <p class="compare-link">
                {move || match compare_link() {
                    Some(href) => Either::Left(view! { <a id="compare-selected" class="button" href=href>"Compare selected"</a> }),
                    None => Either::Right(view! { <span class="hint">"Tick two to four (the current scenario counts) to compare them side by side."</span> }),
                }}
            </p>
            <p id="mine-status" role="status">{status}</p>
        </section>
    }
}
