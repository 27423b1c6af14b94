//! What the server does, whoever asks: the HTTP handlers and the command
//! line both call these, so a scenario is read, evaluated, fitted to
//! measurements, stored and drawn the same way from either. Errors are the
//! core's own, typed; each front end words them for its reader (problem
//! details naming the JSON field, or a message naming the file).

pub mod calibrate;
pub mod chart;
pub mod preview;
pub mod scenario;
pub mod search;
pub mod store;
