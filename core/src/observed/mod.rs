//! What a user measured, read from the files their tools write: a power
//! log summarised into the replica's draw (see [`power_log`]), and a serving
//! benchmark's result (see [`mod@bench`]).

pub mod bench;
pub mod calibrate;
pub mod power_log;
mod timestamp;
