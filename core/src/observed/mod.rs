//! What a user measured, read from the files their tools write: a power
//! log summarised into the replica's draw (see [`power_log`]), and a serving
//! benchmark's result (see [`mod@bench`]), the figures they give on their
//! own (see [`figures`]), and a deployment fitted to them (see
//! [`mod@calibrate`]).

pub mod bench;
pub mod calibrate;
pub mod figures;
pub mod power_log;
mod timestamp;
