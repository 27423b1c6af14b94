//! The planner in real headless Chromium against the real binary: the page
//! hydrates, the browser's own copy of the core recomputes the figures as
//! the user edits each panel, the server's charts follow, a pasted model
//! config fills the dimensions, and what the page says it saved, renamed or
//! deleted is confirmed on the server.
//!
//! Figures are checked against values worked out by hand from the inputs
//! (an owned server whose throughput and power were measured), to the
//! digits the page shows; where the model's predictions put a figure out of
//! reach by hand, by the direction or ratio an edit must move it, or by
//! what must stay as it was.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

mod a11y;
mod calibrate;
mod phone;
mod planner;
mod print;
mod ranges;
mod scenarios;
mod search;
mod support;
mod theme;
