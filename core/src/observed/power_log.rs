//! A power log read line by line: per-GPU samples aligned by timestamp and
//! summed over the GPUs, within a chosen window, into the mean, P50 and P90
//! of the whole replica's draw. It reads the CSV of
//! `nvidia-smi --query-gpu=timestamp,index,power.draw,... --format=csv[,nounits] -lms N`
//! (`YYYY/MM/DD HH:MM:SS.mmm`, values with or without units, `[N/A]`),
//! `amd-smi monitor --csv -w N` or `amd-smi metric -p --csv -w N` (epoch
//! seconds, `power_usage` or `socket_power`, headers repeated each poll) and
//! `rocm-smi --showpower --csv` polled without timestamps (`card0`, a
//! Graphics Package Power column; each poll taken as a second apart).
//! Lines are pushed one at a time, so a log of any size is read without
//! holding its text: memory grows with the number of sampling instants,
//! not with the file.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::timestamp;
use crate::stats::percentile;

/// A line of the log that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LogError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, naming the column.
    pub message: String,
}

/// Which part of a run to summarise, in seconds from its first sample.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Window {
    /// Skip samples before this (the warm-up), s.
    #[serde(default)]
    pub from_s: Option<f64>,
    /// Skip samples after this (the drain), s.
    #[serde(default)]
    pub to_s: Option<f64>,
}

impl Window {
    fn contains(&self, seconds: f64) -> bool {
        self.from_s.is_none_or(|from| seconds >= from) && self.to_s.is_none_or(|to| seconds <= to)
    }

    fn is_chosen(&self) -> bool {
        self.from_s.is_some() || self.to_s.is_some()
    }
}

/// When a benchmark ran, on the clock the log's timestamps use: ms since
/// the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RunSpan {
    /// The run's start.
    pub start_ms: i64,
    /// Its end.
    pub end_ms: i64,
}

/// How the window of a summary came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WindowSource {
    /// Chosen by the person.
    Chosen,
    /// The benchmark's run, from when its result says it ended and its
    /// duration.
    BenchmarkRun,
    /// The whole log: no window chosen, and no benchmark time, or no
    /// timestamps in the log, to align the run by.
    WholeLog,
    /// The whole log: its times are UTC (or carry an offset) and the
    /// benchmark's date is local time in an unknown zone.
    LogInUtc,
    /// The whole log, because the benchmark's run is not within the log's
    /// times (another clock or time zone, or another run).
    BenchmarkRunOutsideLog,
}

/// The window a summary used, in seconds from the log's first sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UsedWindow {
    /// Its start, s.
    pub from_s: f64,
    /// Its end, s.
    pub to_s: f64,
    /// How it was chosen.
    pub source: WindowSource,
}

/// What a power log says about the whole replica.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PowerSummary {
    /// GPUs in the log.
    pub gpus: u32,
    /// Instants with every GPU's draw summed (inside the window).
    pub samples: usize,
    /// Seconds from the first to the last sample of the whole log.
    pub run_s: f64,
    /// Seconds the window covers.
    pub window_s: f64,
    /// The window used.
    pub window: UsedWindow,
    /// Mean draw of all GPUs together, W.
    pub mean_w: f64,
    /// Median, W.
    pub p50_w: f64,
    /// 90th percentile: the draw to plan for, W.
    pub p90_w: f64,
    /// Highest, W.
    pub max_w: f64,
    /// Samples a GPU reported no value for (`[N/A]`), skipped.
    pub missing_values: usize,
    /// The summed draw over the whole run at most [`TRACE_POINTS`] points:
    /// seconds from the first sample and W.
    pub trace: Vec<(f64, f64)>,
}

/// Most points in a summary's trace (for a chart).
pub const TRACE_POINTS: usize = 600;

/// How far out of order a sample may arrive and still be placed, ms.
const REORDER_MS: i64 = 10_000;

/// Time between polls of a log without timestamps, ms.
const UNTIMED_POLL_MS: i64 = 1_000;

/// Samples closer in time than this are one sampling instant, ms.
const INSTANT_MS: i64 = 50;

/// The columns a log's header names.
#[derive(Debug, Clone, Copy)]
struct Columns {
    timestamp: Option<usize>,
    gpu: Option<usize>,
    power: usize,
    count: usize,
}

/// Reads a power log a line at a time.
#[derive(Debug)]
pub struct PowerLogReader {
    window: Window,
    run: Option<RunSpan>,
    /// Whether the first timestamp was a local wall-clock time, as a
    /// benchmark's date is (none read yet, or none in the log).
    local_clock: Option<bool>,
    columns: Option<Columns>,
    header: String,
    line: usize,
    /// Samples not yet placed: (instant, GPU) to W.
    pending: BTreeMap<(i64, u32), f64>,
    latest_ms: i64,
    gpus: BTreeSet<u32>,
    last_w: BTreeMap<u32, f64>,
    first_ms: Option<i64>,
    last_ms: i64,
    /// Summed draw at each complete instant: ms from the first, W.
    summed: Vec<(i64, f32)>,
    missing: usize,
    /// Logs without timestamps: the poll a row belongs to, and the GPUs
    /// it has reported.
    poll: i64,
    poll_gpus: BTreeSet<u32>,
    /// Why the first line that could have been the header was not.
    no_header: Option<LogError>,
}

impl PowerLogReader {
    /// A reader summarising `window` of the run.
    pub fn new(window: Window) -> Self {
        PowerLogReader {
            window,
            run: None,
            local_clock: None,
            columns: None,
            header: String::new(),
            line: 0,
            pending: BTreeMap::new(),
            latest_ms: i64::MIN,
            gpus: BTreeSet::new(),
            last_w: BTreeMap::new(),
            first_ms: None,
            last_ms: 0,
            summed: Vec::new(),
            missing: 0,
            poll: 0,
            poll_gpus: BTreeSet::new(),
            no_header: None,
        }
    }

    /// With no window chosen, keeps only the benchmark's `run`, if the log
    /// has timestamps and the run is within them.
    #[must_use]
    pub fn align_to(mut self, run: Option<RunSpan>) -> Self {
        self.run = run;
        self
    }

    /// The window to use, once the log's first sample is known.
    fn window_used(&self, first_ms: i64) -> (Window, WindowSource) {
        if self.window.is_chosen() {
            return (self.window, WindowSource::Chosen);
        }
        let Some(run) = self.run else {
            return (Window::default(), WindowSource::WholeLog);
        };
        match self.local_clock {
            // No timestamps: nothing to align to.
            None => return (Window::default(), WindowSource::WholeLog),
            // UTC or an offset, against a local date of unknown zone.
            Some(false) => return (Window::default(), WindowSource::LogInUtc),
            Some(true) => {}
        }
        let run_window = Window {
            from_s: Some((run.start_ms - first_ms) as f64 / 1000.0),
            to_s: Some((run.end_ms - first_ms) as f64 / 1000.0),
        };
        if self
            .summed
            .iter()
            .any(|(t, _)| run_window.contains(*t as f64 / 1000.0))
        {
            (run_window, WindowSource::BenchmarkRun)
        } else {
            (Window::default(), WindowSource::BenchmarkRunOutsideLog)
        }
    }

    /// Reads the next line of the log.
    ///
    /// # Errors
    /// A header without a power column, or a row whose cells do not read,
    /// with the line number and the column.
    pub fn push_line(&mut self, text: &str) -> Result<(), LogError> {
        self.line += 1;
        let text = text.trim_end_matches(['\r', '\n']);
        if text.trim().is_empty() || text.starts_with('#') {
            return Ok(());
        }
        let Some(columns) = self.columns else {
            // Text before the header (amd-smi's "'CTRL' + 'C' to stop
            // watching output:") is skipped; a log with no header at all is
            // refused at its end, naming the first line.
            match self.read_header(text) {
                Ok(columns) => {
                    self.columns = Some(columns);
                    self.header = text.trim().to_owned();
                }
                Err(e) => {
                    self.no_header.get_or_insert(e);
                }
            }
            return Ok(());
        };
        // Watch modes and logs of several runs repeat the header.
        if text.trim() == self.header {
            return Ok(());
        }
        let cells: Vec<&str> = text.split(',').map(str::trim).collect();
        if cells.len() < columns.count {
            return Err(self.error(format!(
                "{} cells where the header has {}",
                cells.len(),
                columns.count
            )));
        }
        let gpu = match columns.gpu {
            Some(i) => {
                let cell = cells[i]
                    .trim_start_matches("card")
                    .trim_start_matches("GPU");
                cell.trim()
                    .parse::<u32>()
                    .map_err(|_| self.error(format!("GPU index: {:?} is not a number", cells[i])))?
            }
            None => 0,
        };
        let at_ms = match columns.timestamp {
            Some(i) => {
                let at = timestamp::parse_ms(cells[i]).ok_or_else(|| {
                    self.error(format!("timestamp: {:?} is not a time", cells[i]))
                })?;
                self.local_clock
                    .get_or_insert_with(|| timestamp::is_local(cells[i]));
                at
            }
            // Without timestamps, a GPU seen again starts the next poll,
            // taken as one second later.
            None => {
                if !self.poll_gpus.insert(gpu) {
                    self.poll += 1;
                    self.poll_gpus.clear();
                    self.poll_gpus.insert(gpu);
                }
                self.poll * UNTIMED_POLL_MS
            }
        };
        self.gpus.insert(gpu);
        let Some(watts) = value(cells[columns.power]).map_err(|_| {
            self.error(format!(
                "power: {:?} is not a number of watts",
                cells[columns.power]
            ))
        })?
        else {
            self.missing += 1;
            return Ok(());
        };
        if !(0.0..=1e6).contains(&watts) {
            return Err(self.error(format!("power: {watts} W is not a plausible draw")));
        }
        let instant = at_ms.div_euclid(INSTANT_MS) * INSTANT_MS;
        if instant < self.latest_ms.saturating_sub(REORDER_MS) {
            return Err(self.error(format!(
                "timestamp: {} is more than {} s before a later sample already read",
                cells[columns.timestamp.unwrap_or(0)],
                REORDER_MS / 1000
            )));
        }
        self.latest_ms = self.latest_ms.max(instant);
        *self.pending.entry((instant, gpu)).or_insert(watts) = watts;
        self.place(self.latest_ms.saturating_sub(REORDER_MS));
        Ok(())
    }

    /// The summary of everything read.
    ///
    /// # Errors
    /// When the log had no header or no usable sample in the window.
    pub fn finish(mut self) -> Result<PowerSummary, LogError> {
        if self.columns.is_none() {
            return Err(self.no_header.unwrap_or(LogError {
                line: self.line,
                message: "empty: expected a CSV header with a power column".to_owned(),
            }));
        }
        self.place(i64::MAX);
        let first = self.first_ms.unwrap_or(0);
        let run_s = (self.last_ms - first) as f64 / 1000.0;
        let (window, source) = self.window_used(first);
        let inside: Vec<f64> = self
            .summed
            .iter()
            .filter(|(t, _)| window.contains(*t as f64 / 1000.0))
            .map(|(_, w)| f64::from(*w))
            .collect();
        if inside.is_empty() {
            return Err(LogError {
                line: self.line,
                message: format!(
                    "no sample with every GPU's power inside the window (the run lasts {run_s:.1} s)"
                ),
            });
        }
        let times: Vec<f64> = self
            .summed
            .iter()
            .map(|(t, _)| *t as f64 / 1000.0)
            .filter(|s| window.contains(*s))
            .collect();
        let window_s = times.last().unwrap_or(&0.0) - times.first().unwrap_or(&0.0);
        let mut sorted = inside.clone();
        sorted.sort_by(f64::total_cmp);
        Ok(PowerSummary {
            gpus: u32::try_from(self.gpus.len()).unwrap_or(u32::MAX),
            samples: inside.len(),
            run_s,
            window_s,
            window: UsedWindow {
                from_s: window.from_s.unwrap_or(0.0).max(0.0),
                to_s: window.to_s.unwrap_or(run_s).min(run_s),
                source,
            },
            mean_w: inside.iter().sum::<f64>() / inside.len() as f64,
            // `inside` is not empty (checked above), so neither is `sorted`.
            p50_w: percentile(&sorted, 0.5).unwrap_or(0.0),
            p90_w: percentile(&sorted, 0.9).unwrap_or(0.0),
            max_w: sorted.last().copied().unwrap_or(0.0),
            missing_values: self.missing,
            trace: downsample(&self.summed, TRACE_POINTS),
        })
    }

    /// Places pending samples up to `until` in time order: each updates its
    /// GPU's draw, and an instant where every GPU has a draw adds their sum.
    fn place(&mut self, until: i64) {
        while let Some((&(instant, gpu), &watts)) = self.pending.first_key_value() {
            if instant > until {
                break;
            }
            self.pending.pop_first();
            self.last_w.insert(gpu, watts);
            // The instant is complete once no more of its samples wait.
            let more = self
                .pending
                .first_key_value()
                .is_some_and(|(&(next, _), _)| next == instant);
            if more || self.last_w.len() < self.gpus.len() {
                continue;
            }
            let first = *self.first_ms.get_or_insert(instant);
            self.last_ms = instant;
            let total: f64 = self.last_w.values().sum();
            self.summed.push((instant - first, total as f32));
        }
    }

    fn error(&self, message: String) -> LogError {
        LogError {
            line: self.line,
            message,
        }
    }

    /// The columns `header` names.
    fn read_header(&self, header: &str) -> Result<Columns, LogError> {
        let names: Vec<String> = header.split(',').map(column_name).collect();
        let find = |candidates: &[&str]| {
            candidates
                .iter()
                .find_map(|c| names.iter().position(|n| n == c))
        };
        let power = find(&[
            "power.draw",
            "power.draw.average",
            "power.draw.instant",
            "power_usage",
            "socket_power",
            "current socket graphics package power",
            "average graphics package power",
            "power",
        ])
        .ok_or_else(|| {
            self.error(format!(
                "no power column in the header {header:?}; expected power.draw (nvidia-smi), power_usage or socket_power (amd-smi) or a Graphics Package Power column (rocm-smi)"
            ))
        })?;
        Ok(Columns {
            timestamp: find(&["timestamp", "time", "date"]),
            gpu: find(&["index", "gpu", "device", "gpu_id"]),
            power,
            count: names.len(),
        })
    }
}

/// A header cell as a lowercase name without its unit (`power.draw [W]`,
/// `Average Graphics Package Power (W)`).
fn column_name(cell: &str) -> String {
    let name = cell.trim().to_ascii_lowercase();
    let name = name.split(['[', '(']).next().unwrap_or_default();
    name.trim().to_owned()
}

/// A cell's number without its unit (`250.12 W`, `87 %`); none for a value
/// the tool could not read (`[N/A]`, `N/A`, `[Not Supported]`).
fn value(cell: &str) -> Result<Option<f64>, ()> {
    let cell = cell.trim();
    let lower = cell.to_ascii_lowercase();
    // nvidia-smi writes any value it cannot read in brackets.
    if lower.is_empty() || lower.starts_with('[') || lower.starts_with("n/a") {
        return Ok(None);
    }
    let number = cell.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%' || c == ' ');
    number.trim().parse::<f64>().map(Some).map_err(|_| ())
}

/// At most `points` points of `series` (ms, W), each the mean of a run of
/// neighbours, as (s, W).
fn downsample(series: &[(i64, f32)], points: usize) -> Vec<(f64, f64)> {
    let chunk = series.len().div_ceil(points.max(1)).max(1);
    series
        .chunks(chunk)
        .map(|c| {
            let t = c.iter().map(|(t, _)| *t as f64).sum::<f64>() / c.len() as f64;
            let w = c.iter().map(|(_, w)| f64::from(*w)).sum::<f64>() / c.len() as f64;
            (t / 1000.0, w)
        })
        .collect()
}

/// Reads a whole log held as text (a test or a small paste), aligned to
/// the benchmark's `run` if no window is chosen; large files are pushed
/// line by line by the caller instead.
///
/// # Errors
/// As [`PowerLogReader::push_line`] and [`PowerLogReader::finish`].
pub fn summarise(
    text: &str,
    window: Window,
    run: Option<RunSpan>,
) -> Result<PowerSummary, LogError> {
    let mut reader = PowerLogReader::new(window).align_to(run);
    for line in text.lines() {
        reader.push_line(line)?;
    }
    reader.finish()
}
