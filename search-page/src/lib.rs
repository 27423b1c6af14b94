//! The deployment search page.
//!
//! The server renders the whole page, form and answer, from the query
//! string, so a search is a link: bookmarked, sent, or opened without
//! script, it runs again. In the browser a small module of its own (not
//! the planner's bundle, which it would push over its size budget) runs
//! the same search with the same core in slices, with progress and a stop
//! button, and writes the answer with the same HTML functions.
//!
//! - [`SearchForm`]: the query string both ways;
//! - [`render`]: the form and the answer as HTML;
//! - the browser module (`wasm32` only): the submit handler.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
mod browser;
mod query;
pub mod render;

pub use query::{FormError, SearchForm, encode_deployment};
pub use render::escape;
