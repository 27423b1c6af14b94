//! How much memory and time streaming a large power log takes: writes a
//! ~100 MB nvidia-smi log (8 GPUs every 100 ms), reads it through
//! `tokenfab calibrate`'s streaming reader, and prints the peak resident
//! memory before and after (Linux's VmHWM) and the time taken.
//!
//! cargo run --release -p server --example power_log_memory [-- MEGABYTES]

use std::io::Write;
use std::time::Instant;

use server::service::calibrate::{PowerLog, summarise};
use tokenfab_core::observed::power_log::Window;

/// Peak resident memory of this process so far, KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let megabytes: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("power.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(
        file,
        "timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB]"
    )?;
    let mut written = 0_u64;
    let mut tick = 0_u64;
    while written < megabytes * 1_000_000 {
        let ms = tick * 100;
        let (h, m, s, milli) = (
            ms / 3_600_000 % 24,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000,
        );
        let day = 1 + ms / 86_400_000;
        for gpu in 0..8 {
            let line = format!(
                "2024/05/{day:02} {h:02}:{m:02}:{s:02}.{milli:03}, {gpu}, {:.2} W, 97 %, 74213 MiB\n",
                400.0 + ((tick * 7 + gpu * 13) % 200) as f64
            );
            written += line.len() as u64;
            file.write_all(line.as_bytes())?;
        }
        tick += 1;
    }
    file.flush()?;
    drop(file);
    let before = peak_kib();
    let started = Instant::now();
    let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path)?);
    let summary = summarise(PowerLog::Stream(Box::new(file)), Window::default(), None)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
    let elapsed = started.elapsed();
    let after = peak_kib();
    println!(
        "{:.1} MB, {} GPUs, {} instants over {:.0} s: mean {:.0} W, P90 {:.0} W",
        written as f64 / 1e6,
        summary.gpus,
        summary.samples,
        summary.run_s,
        summary.mean_w,
        summary.p90_w
    );
    println!(
        "read in {:.2} s ({:.0} MB/s); peak resident memory {:.1} MiB before reading, {:.1} MiB after",
        elapsed.as_secs_f64(),
        written as f64 / 1e6 / elapsed.as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    Ok(())
}
