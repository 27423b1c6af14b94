//! What the server hands a page beyond its path: a saved scenario to show,
//! or to copy into the editor. The server renders from it and embeds it as
//! JSON, and the browser hydrates from that same JSON, so both render the
//! same page.

use serde::{Deserialize, Serialize};
use tokenfab_core::deployment::Deployment;

/// Element id of the embedded JSON.
pub const ELEMENT_ID: &str = "page-data";

/// The data of one page. Externally tagged (`{"shared": {...}}`): an
/// internal tag would make the browser buffer the whole value before reading
/// it, and the bundle carry a second copy of every deserialiser for that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageData {
    /// The planner, starting from a copy of a saved scenario.
    Editor {
        /// Where it starts.
        deployment: Deployment,
        /// The id it was copied from.
        copied_from: Option<String>,
    },
    /// A saved scenario, read-only.
    Shared {
        /// Its id (the share link).
        id: String,
        /// The name it was saved under.
        name: String,
        /// Its notes.
        #[serde(default)]
        notes: String,
        /// Its inputs.
        deployment: Deployment,
    },
    /// Saved scenarios side by side.
    Compare {
        /// Two to four: the current scenario first if it is one of them,
        /// then the saved ones in the order asked for.
        items: Vec<Compared>,
        /// Which of them the others are measured against.
        #[serde(default)]
        baseline: usize,
    },
}

/// One scenario in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// Its id; none for the planner's current, unsaved scenario.
    pub id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its inputs.
    pub deployment: Deployment,
}

impl PageData {
    /// The JSON to embed in a `<script>`: `<` is escaped, so no text inside
    /// (a scenario name, say) can close the element.
    pub fn to_embedded_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    }
}

/// The current page's data: from the request's context on the server, from
/// the embedded JSON in the browser.
pub fn current() -> Option<PageData> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<PageData>()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let text = leptos::prelude::document()
            .get_element_by_id(ELEMENT_ID)?
            .text_content()?;
        // Only the planner hydrates: a shared scenario and a comparison are
        // the server's alone, so the browser reads just the editor's data
        // (and no reader for the other pages' data is in the bundle).
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Hydrated {
            Editor {
                deployment: Deployment,
                copied_from: Option<String>,
            },
        }
        let Hydrated::Editor {
            deployment,
            copied_from,
        } = serde_json::from_value(serde_json::from_str(&text).ok()?).ok()?;
        Some(PageData::Editor {
            deployment,
            copied_from,
        })
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script_element() {
        let data = PageData::Shared {
            id: "00".repeat(16),
            name: "</script><script>alert(1)</script>".to_owned(),
            notes: String::new(),
            deployment: Deployment::example(),
        };
        let json = data.to_embedded_json();
        assert!(!json.contains('<'));
        // And it reads back as the same data.
        assert_eq!(serde_json::from_str::<PageData>(&json).unwrap(), data);
    }
}

/// Absolute addresses of a share page and of its preview picture, for the
/// tags a chat reads to preview a pasted link (only the server knows the
/// address people reach it at; the page is never hydrated).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkPreview {
    /// The share page.
    pub page_url: String,
    /// Its 1200 × 630 PNG, tagged with the revision it shows.
    pub image_url: String,
}
