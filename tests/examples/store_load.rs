//! Saves and reads per second of the scenario store: one instance on
//! SQLite (the default, for reference), one instance on PostgreSQL, and two
//! instances on one PostgreSQL database. A measuring tool, not a test: it
//! prints figures and asserts no timing.
//!
//! ```text
//! scripts/bench-store.sh                       # builds, then runs this
//! scripts/bench-store.sh --seconds 20 --clients 32 --setups postgres,postgres-2
//! ```
//!
//! It builds nothing itself: it runs `TOKENFAB_BIN` (default
//! `target/debug/tokenfab`; the script sets the release build) serving the
//! site in `target/site`, and throwaway PostgreSQL clusters
//! (`postgres-cluster`: a Unix socket, `fsync=off`, so PostgreSQL's figures
//! are the server's work, not the disk's).
//!
//! For each setup it starts the instances (`--writes-per-minute 0`: the
//! per-client write limit is off, as every client here is one address),
//! then runs `--clients` concurrent clients, each on one keep-alive HTTP/1.1
//! connection, the connections spread round-robin over the instances:
//! 1. saves: `POST /api/v1/scenarios` of the support-chat deployment
//!    (`tests/scenarios/llama-70b-support-chat.json`) under a new name;
//! 2. reads: `GET /api/v1/scenarios/{id}` of ids saved in step 1, picked at
//!    random; the answer holds the scenario and its evaluated report, so a
//!    read includes one evaluation.
//!
//! Each step first runs `--warmup` seconds that are not counted (pools
//! open their connections), then `--seconds` seconds whose completed
//! requests are counted. Any answer other than 2xx, a broken connection or
//! a request over 10 s is an error: counted by kind and shown (the first
//! one's text too), never retried away; one outside the measured seconds is
//! shown apart. The load generator is this process on one thread; it,
//! PostgreSQL and the instances share the machine's cores, and the CPU each
//! used is printed beside the figures, with what other programs used
//! meanwhile (a note says when that was enough to lower the figures).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use end_to_end::Server;
use postgres_cluster::Cluster;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Longest a request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What to run, from the command line or the environment.
struct Options {
    /// Measured seconds of each step.
    seconds: f64,
    /// Uncounted seconds before each step's measurement.
    warmup: f64,
    /// Concurrent clients (connections).
    clients: usize,
    /// The setups to run, in order.
    setups: Vec<Setup>,
    /// `--db-max-connections` of each instance, if set.
    pool: Option<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    Sqlite,
    Postgres,
    Postgres2,
}

impl Setup {
    fn parse(name: &str) -> Option<Setup> {
        match name {
            "sqlite" => Some(Setup::Sqlite),
            "postgres" => Some(Setup::Postgres),
            "postgres-2" => Some(Setup::Postgres2),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Setup::Sqlite => "SQLite, 1 instance",
            Setup::Postgres => "PostgreSQL, 1 instance",
            Setup::Postgres2 => "PostgreSQL, 2 instances",
        }
    }

    fn instances(self) -> usize {
        match self {
            Setup::Sqlite | Setup::Postgres => 1,
            Setup::Postgres2 => 2,
        }
    }
}

const USAGE: &str = "store_load [--seconds S] [--warmup S] [--clients N] \
[--setups sqlite,postgres,postgres-2] [--db-max-connections N]
environment: STORE_LOAD_SECONDS, STORE_LOAD_WARMUP, STORE_LOAD_CLIENTS, STORE_LOAD_SETUPS";

fn options() -> Result<Options, String> {
    let env = |name: &str| std::env::var(name).ok();
    let mut seconds = env("STORE_LOAD_SECONDS").unwrap_or_else(|| "10".to_owned());
    let mut warmup = env("STORE_LOAD_WARMUP").unwrap_or_else(|| "1".to_owned());
    let mut clients = env("STORE_LOAD_CLIENTS").unwrap_or_else(|| "16".to_owned());
    let mut setups =
        env("STORE_LOAD_SETUPS").unwrap_or_else(|| "sqlite,postgres,postgres-2".to_owned());
    let mut pool = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--seconds" => seconds = value,
            "--warmup" => warmup = value,
            "--clients" => clients = value,
            "--setups" => setups = value,
            "--db-max-connections" => pool = Some(value),
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    let number = |what: &str, text: &str| {
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{what}: not a number of seconds: {text}"))
    };
    let options = Options {
        seconds: number("seconds", &seconds)?,
        warmup: number("warmup", &warmup)?,
        clients: clients
            .parse()
            .ok()
            .filter(|c| *c > 0)
            .ok_or_else(|| format!("clients: not a positive count: {clients}"))?,
        setups: setups
            .split(',')
            .map(|s| Setup::parse(s.trim()).ok_or_else(|| format!("unknown setup {s}\n{USAGE}")))
            .collect::<Result<_, _>>()?,
        pool: pool
            .map(|p| {
                p.parse()
                    .map_err(|_| format!("db-max-connections: not a count: {p}"))
            })
            .transpose()?,
    };
    if options.seconds <= 0.0 {
        return Err("seconds: must be more than 0".to_owned());
    }
    Ok(options)
}

fn main() {
    let options = options().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let deployment = std::fs::read_to_string(
        end_to_end::workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
    )
    .expect("the support-chat deployment is readable");
    let deployment: Arc<str> = serde_json::from_str::<serde_json::Value>(&deployment)
        .expect("the support-chat deployment is JSON")
        .to_string()
        .into();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    print_machine(&options);
    let mut rows = Vec::new();
    for setup in &options.setups {
        eprintln!("running: {}", setup.label());
        let setup = *setup;
        // The cluster outlives the instances that use it (dropped after them).
        let cluster = (setup != Setup::Sqlite).then(Cluster::start);
        let mut flags = vec!["--writes-per-minute".to_owned(), "0".to_owned()];
        if let Some(cluster) = &cluster {
            flags.extend(["--database-url".to_owned(), cluster.new_database()]);
        }
        if let Some(pool) = options.pool {
            flags.extend(["--db-max-connections".to_owned(), pool.to_string()]);
        }
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let servers: Vec<Server> = (0..setup.instances())
            .map(|_| Server::start_with(tempfile::tempdir().expect("temp dir"), &flags))
            .collect();
        let addrs: Vec<SocketAddr> = servers.iter().map(Server::addr).collect();

        let saved = runtime.block_on(run_step(&options, &addrs, Step::Save(deployment.clone())));
        let ids: Arc<[String]> = saved.ids.clone().into();
        rows.push(Row {
            setup,
            step: "save",
            result: saved,
        });
        if ids.is_empty() {
            eprintln!("no scenario was saved: reads skipped");
        } else {
            let read = runtime.block_on(run_step(&options, &addrs, Step::Read(ids)));
            rows.push(Row {
                setup,
                step: "read",
                result: read,
            });
        }
        drop(servers);
        drop(cluster);
    }
    print_table(&options, &rows);
}

/// What one step's clients do.
#[derive(Clone)]
enum Step {
    /// Save this deployment under new names.
    Save(Arc<str>),
    /// Read these saved ids at random.
    Read(Arc<[String]>),
}

/// One client's count, and the step's when merged.
#[derive(Default)]
struct Tally {
    /// Microseconds of each counted success.
    latencies_us: Vec<u32>,
    /// Failures by kind ("503", "connection", "timeout", ...).
    errors: BTreeMap<String, u64>,
    /// The first failure's detail, to show.
    first_error: Option<String>,
    /// Ids saved, warm-up included (for the reads).
    ids: Vec<String>,
}

impl Tally {
    /// Counts a failure; one outside the measured seconds (in the warm-up,
    /// or answered after the end) is counted apart rather than dropped.
    fn fail(&mut self, counted: bool, kind: String, detail: String) {
        let kind = if counted {
            kind
        } else {
            format!("{kind} outside the measured seconds")
        };
        *self.errors.entry(kind).or_default() += 1;
        self.first_error.get_or_insert(detail);
    }

    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        for (kind, n) in other.errors {
            *self.errors.entry(kind).or_default() += n;
        }
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.ids.extend(other.ids);
    }
}

/// A step's figures.
struct StepResult {
    tally: Tally,
    /// Measured seconds.
    seconds: f64,
    /// What the CPUs did meanwhile.
    cpu: CpuShares,
    ids: Vec<String>,
}

struct Row {
    setup: Setup,
    step: &'static str,
    result: StepResult,
}

async fn run_step(options: &Options, addrs: &[SocketAddr], step: Step) -> StepResult {
    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(options.warmup);
    let until = measure_from + Duration::from_secs_f64(options.seconds);
    let mut tasks = Vec::new();
    for client in 0..options.clients {
        let addr = addrs[client % addrs.len()];
        let step = step.clone();
        tasks.push(tokio::spawn(run_client(
            client,
            addr,
            step,
            measure_from,
            until,
        )));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let before = CpuSample::now();
    tokio::time::sleep_until(until.into()).await;
    let after = CpuSample::now();
    let mut tally = Tally::default();
    for task in tasks {
        tally.merge(task.await.expect("a client ran to its end"));
    }
    let cpu = before.shares_until(&after);
    let ids = std::mem::take(&mut tally.ids);
    StepResult {
        tally,
        seconds: options.seconds,
        cpu,
        ids,
    }
}

/// One client: one connection to `addr`, requests back to back until
/// `until`; those completed from `measure_from` on are counted.
async fn run_client(
    client: usize,
    addr: SocketAddr,
    step: Step,
    measure_from: Instant,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut connection = Connection::new(addr);
    let mut random = XorShift::new(client as u64);
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let (method, path, body) = match &step {
            Step::Save(deployment) => (
                "POST",
                "/api/v1/scenarios".to_owned(),
                format!(r#"{{"name":"load {client}-{n}","scenario":{deployment}}}"#),
            ),
            Step::Read(ids) => {
                let id = &ids[random.below(ids.len())];
                ("GET", format!("/api/v1/scenarios/{id}"), String::new())
            }
        };
        let sent = Instant::now();
        let answer = tokio::time::timeout(
            REQUEST_TIMEOUT,
            connection.exchange(method, &path, body.as_bytes()),
        )
        .await;
        let done = Instant::now();
        let counted = done >= measure_from && done <= until;
        match answer {
            Err(_) => {
                connection.close();
                tally.fail(
                    counted,
                    "timeout".to_owned(),
                    format!("{method} {path}: no answer within {REQUEST_TIMEOUT:?}"),
                );
            }
            Ok(Err(e)) => {
                connection.close();
                tally.fail(
                    counted,
                    "connection".to_owned(),
                    format!("{method} {path}: {e}"),
                );
            }
            Ok(Ok((status, answer))) if !(200..300).contains(&status) => tally.fail(
                counted,
                status.to_string(),
                format!(
                    "{method} {path}: {status} {}",
                    String::from_utf8_lossy(&answer[..answer.len().min(300)])
                ),
            ),
            Ok(Ok((_, answer))) => {
                if let Step::Save(_) = step {
                    match serde_json::from_slice::<serde_json::Value>(&answer)
                        .ok()
                        .and_then(|v| v["id"].as_str().map(str::to_owned))
                    {
                        Some(id) => tally.ids.push(id),
                        None => {
                            tally.fail(
                                counted,
                                "no id".to_owned(),
                                format!("{method} {path}: answer without an id"),
                            );
                            continue;
                        }
                    }
                }
                if counted {
                    let us = done.duration_since(sent).as_micros();
                    tally
                        .latencies_us
                        .push(u32::try_from(us).unwrap_or(u32::MAX));
                }
            }
        }
    }
    tally
}

/// One keep-alive HTTP/1.1 connection, opened again after a failure.
struct Connection {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
    request: Vec<u8>,
    line: String,
}

impl Connection {
    fn new(addr: SocketAddr) -> Self {
        Connection {
            addr,
            stream: None,
            request: Vec::new(),
            line: String::new(),
        }
    }

    fn close(&mut self) {
        self.stream = None;
    }

    /// Sends one request and reads its answer: the status and body.
    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let stream = self.stream.as_mut().expect("connected above");
        self.request.clear();
        write!(
            self.request,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n",
            self.addr
        )
        .expect("writing to memory");
        if !body.is_empty() {
            write!(
                self.request,
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            )
            .expect("writing to memory");
        }
        self.request.extend_from_slice(b"\r\n");
        self.request.extend_from_slice(body);
        stream.get_mut().write_all(&self.request).await?;

        let mut status = None;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            self.line.clear();
            if stream.read_line(&mut self.line).await? == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "connection closed before an answer",
                ));
            }
            let line = self.line.trim_end();
            if line.is_empty() {
                break;
            }
            if status.is_none() {
                status = line.split(' ').nth(1).and_then(|s| s.parse::<u16>().ok());
                if status.is_none() {
                    return Err(std::io::Error::other(format!("no status in {line:?}")));
                }
                continue;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        let status = status.ok_or_else(|| std::io::Error::other("no status line"))?;
        let mut answer = Vec::new();
        if chunked {
            loop {
                self.line.clear();
                stream.read_line(&mut self.line).await?;
                let size = usize::from_str_radix(
                    self.line.trim_end().split(';').next().unwrap_or_default(),
                    16,
                )
                .map_err(|_| std::io::Error::other(format!("bad chunk size {:?}", self.line)))?;
                if size == 0 {
                    // Trailers, if any, end with an empty line.
                    loop {
                        self.line.clear();
                        stream.read_line(&mut self.line).await?;
                        if self.line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let from = answer.len();
                answer.resize(from + size, 0);
                stream.read_exact(&mut answer[from..]).await?;
                let mut crlf = [0; 2];
                stream.read_exact(&mut crlf).await?;
            }
        } else if let Some(length) = length {
            answer.resize(length, 0);
            stream.read_exact(&mut answer).await?;
        } else {
            stream.read_to_end(&mut answer).await?;
            close = true;
        }
        if close {
            self.close();
        }
        Ok((status, answer))
    }
}

/// A small fast generator for picking ids; quality is not at stake.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// CPU time so far, in the kernel's ticks: the whole machine's busy and
/// total, this process's, the tokenfab instances' (its children), and
/// every PostgreSQL process's on the machine (the throwaway clusters').
struct CpuSample {
    machine_busy: u64,
    machine_total: u64,
    generator: u64,
    instances: u64,
    postgres: u64,
}

/// Where the machine's CPU went during a measurement, in cores.
struct CpuShares {
    busy: f64,
    generator: f64,
    instances: f64,
    postgres: f64,
}

impl CpuShares {
    /// What neither the generator, the instances nor PostgreSQL used: the
    /// kernel's work for no process, and other programs on the machine.
    fn other(&self) -> f64 {
        (self.busy - self.generator - self.instances - self.postgres).max(0.0)
    }
}

impl CpuSample {
    fn now() -> CpuSample {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let times: Vec<u64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|t| t.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal (guest time is
        // already in user).
        let total: u64 = times.iter().take(8).sum();
        let idle = times.get(3).copied().unwrap_or(0) + times.get(4).copied().unwrap_or(0);
        let instances = children()
            .into_iter()
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|c| c.trim() == "tokenfab")
            })
            .map(|pid| process_ticks(&pid.to_string()))
            .sum();
        let postgres = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|c| c.trim() == "postgres")
            })
            .map(|pid| process_ticks(&pid))
            .sum();
        CpuSample {
            machine_busy: total - idle,
            machine_total: total,
            generator: process_ticks("self"),
            instances,
            postgres,
        }
    }

    fn shares_until(&self, later: &CpuSample) -> CpuShares {
        let cores = cores() as f64;
        let total = (later.machine_total - self.machine_total).max(1) as f64;
        let share = |a: u64, b: u64| b.saturating_sub(a) as f64 / total * cores;
        CpuShares {
            busy: share(self.machine_busy, later.machine_busy),
            generator: share(self.generator, later.generator),
            instances: share(self.instances, later.instances),
            postgres: share(self.postgres, later.postgres),
        }
    }
}

/// User and system ticks of process `pid` (or "self").
fn process_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name is in parentheses and may hold spaces; fields 14
    // and 15 (utime, stime) follow it.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After ')' the first field is the state (field 3), so utime (14) is
    // the 12th.
    field(11) + field(12)
}

/// This process's children, from every thread's list.
fn children() -> Vec<u32> {
    let mut pids = Vec::new();
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.filter_map(Result::ok) {
            if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
                pids.extend(
                    list.split_whitespace()
                        .filter_map(|p| p.parse::<u32>().ok()),
                );
            }
        }
    }
    pids.sort_unstable();
    pids.dedup();
    pids
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn print_machine(options: &Options) {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, m)| m.trim());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.0} GiB", kb / 1_048_576.0),
        );
    let postgres = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .max()
        })
        .unwrap_or_else(|| "not installed".to_owned());
    let binary = std::env::var("TOKENFAB_BIN").unwrap_or_else(|_| "target/debug/tokenfab".into());
    println!("Scenario store load: saves, then reads of saved ids");
    println!(
        "machine: {} cores ({model}), {memory} memory; the load generator, PostgreSQL and \
         the instances all share these cores",
        cores()
    );
    println!("binary: {binary}");
    println!(
        "load: {} clients, one keep-alive HTTP/1.1 connection each, spread round-robin over \
         the instances; generator on one thread; {} s warm-up (not counted), then {} s per step",
        options.clients, options.warmup, options.seconds
    );
    println!(
        "PostgreSQL {postgres}: throwaway cluster on a Unix socket with fsync off, so its \
         figures measure the server, not the disk; SQLite runs in WAL mode with \
         synchronous=NORMAL (no sync per commit)"
    );
    println!(
        "instances: --writes-per-minute 0, --db-max-connections {}",
        options
            .pool
            .map_or_else(|| "8 (default)".to_owned(), |p| p.to_string())
    );
    println!();
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

fn print_table(options: &Options, rows: &[Row]) {
    println!(
        "| setup | step | clients | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors | \
         CPU busy (cores) | generator | instances | PostgreSQL | other |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut notes = Vec::new();
    for row in rows {
        let mut latencies = row.result.tally.latencies_us.clone();
        latencies.sort_unstable();
        let errors: u64 = row.result.tally.errors.values().sum();
        let error_text = if errors == 0 {
            "0".to_owned()
        } else {
            let kinds: Vec<String> = row
                .result
                .tally
                .errors
                .iter()
                .map(|(kind, n)| format!("{n} × {kind}"))
                .collect();
            kinds.join(", ")
        };
        if let Some(first) = &row.result.tally.first_error {
            notes.push(format!(
                "{} {}: first error: {first}",
                row.setup.label(),
                row.step
            ));
        }
        let cpu = &row.result.cpu;
        if cpu.other() > 0.25 {
            notes.push(format!(
                "{} {}: other work used {:.2} cores meanwhile: these figures are low",
                row.setup.label(),
                row.step,
                cpu.other()
            ));
        }
        if cpu.generator > 0.9 {
            notes.push(format!(
                "{} {}: the generator used {:.2} cores of its one thread: it may have limited the rate",
                row.setup.label(),
                row.step,
                cpu.generator
            ));
        }
        println!(
            "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            row.setup.label(),
            row.step,
            options.clients,
            latencies.len() as f64 / row.result.seconds,
            percentile(&latencies, 50.0),
            percentile(&latencies, 95.0),
            percentile(&latencies, 99.0),
            latencies
                .last()
                .map_or(f64::NAN, |m| f64::from(*m) / 1000.0),
            error_text,
            cpu.busy,
            cpu.generator,
            cpu.instances,
            cpu.postgres,
            cpu.other(),
        );
    }
    println!();
    println!(
        "requests/s counts successes completed within the measured seconds; errors are \
         non-2xx answers, broken connections and timeouts (those outside the measured \
         seconds named so). CPU columns: \
         cores used on average of {} (busy: the whole machine; other: the kernel's work for \
         no process, and other programs)",
        cores()
    );
    for note in notes {
        println!("{note}");
    }
}
