//! Saves survive `kill -9`: the real binary is killed in the middle of a
//! burst of saves, restarted on the same data, and every save it had
//! acknowledged must be there and intact; on PostgreSQL, one of two
//! instances is killed while saves go through both. And a polite stop (SIGTERM)
//! lets the requests in flight finish.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use std::net::SocketAddr;

use end_to_end::{Server, http, workspace_root};
use postgres_cluster::Cluster;

/// Saves acknowledged before the kill (at least).
const BEFORE_KILL: usize = 100;
/// Clients saving at once.
const CLIENTS: usize = 4;

/// A saved scenario's id with what was sent.
struct Acknowledged {
    id: String,
    name: String,
    requests_per_day: f64,
}

/// Saves from [`CLIENTS`] clients, each sending its saves to `targets` in
/// turn, until [`BEFORE_KILL`] are acknowledged; then `kill` runs while
/// saves are still in flight, and the clients stop at their first failure
/// after it. Returns every save acknowledged.
fn burst_then(targets: &[SocketAddr], kill: impl FnOnce()) -> Vec<Acknowledged> {
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<Acknowledged>::new()));
    // Why each client stopped before the kill, if it did.
    let stopped = Arc::new(Mutex::new(Vec::<String>::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (acknowledged, stopped, killed, stop, template, targets) = (
                acknowledged.clone(),
                stopped.clone(),
                killed.clone(),
                stop.clone(),
                template.clone(),
                targets.to_vec(),
            );
            std::thread::spawn(move || {
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    // Each save carries its own figures, to check it is intact.
                    let requests_per_day = 1_000.0 + (client * 100_000 + i) as f64;
                    let name = format!("burst {client}-{i}");
                    let mut scenario = template.clone();
                    scenario["use_case"]["requests_per_day"] = requests_per_day.into();
                    let body = serde_json::json!({ "name": name, "scenario": scenario });
                    let target = targets[(client + i) % targets.len()];
                    match http(target, "POST", "/api/v1/scenarios", Some(&body.to_string())) {
                        Ok((201, answer)) => {
                            let id =
                                serde_json::from_str::<serde_json::Value>(&answer).unwrap()["id"]
                                    .as_str()
                                    .unwrap()
                                    .to_owned();
                            acknowledged.lock().unwrap().push(Acknowledged {
                                id,
                                name,
                                requests_per_day,
                            });
                        }
                        // Killed mid-request, or refused while going down.
                        outcome => {
                            if !killed.load(Ordering::Relaxed) {
                                stopped
                                    .lock()
                                    .unwrap()
                                    .push(format!("client {client}, save {i}: {outcome:?}"));
                            }
                            break;
                        }
                    }
                }
            })
        })
        .collect();

    // Until enough saves are acknowledged, or every client has given up
    // (then the test fails saying why, rather than waiting for ever).
    let start = std::time::Instant::now();
    while acknowledged.lock().unwrap().len() < BEFORE_KILL {
        let all_stopped = clients.iter().all(std::thread::JoinHandle::is_finished);
        assert!(
            !all_stopped && start.elapsed() < Duration::from_secs(120),
            "only {} saves acknowledged before the clients stopped: {:?}",
            acknowledged.lock().unwrap().len(),
            stopped.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Saves are still in flight: kill without warning.
    killed.store(true, Ordering::Relaxed);
    kill();
    // The clients of a surviving instance go on a little, then stop.
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    Arc::try_unwrap(acknowledged)
        .ok()
        .unwrap()
        .into_inner()
        .unwrap()
}

/// Every save in `acknowledged` reads back from `server`, intact.
fn all_there(server: &Server, acknowledged: &[Acknowledged]) {
    assert!(acknowledged.len() >= BEFORE_KILL);
    for saved in acknowledged {
        let (status, body) = http(
            server.addr(),
            "GET",
            &format!("/api/v1/scenarios/{}", saved.id),
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{} lost: {body}", saved.name);
        let stored: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(stored["name"], saved.name.as_str());
        assert_eq!(
            stored["scenario"]["use_case"]["requests_per_day"].as_f64(),
            Some(saved.requests_per_day),
            "{} changed",
            saved.name
        );
    }
}

/// The burst is far above the per-address write limit: turned off here.
const UNLIMITED: [&str; 2] = ["--writes-per-minute", "0"];

#[test]
fn every_acknowledged_save_survives_the_server_being_killed() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), &UNLIMITED);
    let addr = server.addr();
    let mut data = None;
    let acknowledged = burst_then(&[addr], || data = Some(server.kill()));
    let server = Server::start_in(data.unwrap());
    all_there(&server, &acknowledged);
}

#[test]
fn on_postgresql_every_acknowledged_save_survives_one_of_two_instances_being_killed() {
    let url = Cluster::shared().new_database();
    let flags = [&UNLIMITED[..], &["--database-url", &url]].concat();
    let start = || Server::start_with(tempfile::tempdir().unwrap(), &flags);
    let (doomed, survivor) = (start(), start());
    let targets = [doomed.addr(), survivor.addr()];
    let acknowledged = burst_then(&targets, || drop(doomed.kill()));
    // Through the instance that stayed up, and through a new one.
    all_there(&survivor, &acknowledged);
    all_there(&start(), &acknowledged);
}

#[test]
fn sigterm_lets_a_request_in_flight_finish_then_the_server_exits() {
    let mut server = Server::start();
    let addr = server.addr();
    let deployment: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // A fit to a power log of several megabytes: long enough to still be
    // running at the signal (evaluations alone are now too quick to be).
    let bench =
        std::fs::read_to_string(workspace_root().join("core/tests/fixtures/bench/vllm-serve.json"))
            .unwrap();
    let mut log =
        String::from("timestamp, index, power.draw [W], utilization.gpu [%], memory.used [MiB]\n");
    for tick in 0..40_000_u32 {
        let (h, m, s, ms) = (
            10 + tick / 36_000,
            tick / 600 % 60,
            tick / 10 % 60,
            tick % 10 * 100,
        );
        for gpu in 0..4 {
            log.push_str(&format!(
                "2025/11/04 {h:02}:{m:02}:{s:02}.{ms:03}, {gpu}, 560.00 W, 97 %, 74213 MiB\n"
            ));
        }
    }
    let body = serde_json::json!({
        "scenario": deployment,
        "bench": bench,
        "power_log": log,
    })
    .to_string();
    let request = std::thread::spawn(move || {
        let answer = http(addr, "POST", "/api/v1/calibrate", Some(&body));
        (answer, std::time::Instant::now())
    });
    std::thread::sleep(Duration::from_millis(20));
    let signalled = std::time::Instant::now();
    server.terminate();
    let (answer, answered) = request.join().unwrap();
    // It was still running when the signal came, and it finished.
    assert!(answered > signalled, "the fit ended before the signal");
    let (status, answer) = answer.unwrap();
    assert_eq!(status, 200, "{answer}");
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert!(
        answer["calibration"]["power_factor"].is_number(),
        "{answer:.300}"
    );
    assert_eq!(server.wait_for_exit(Duration::from_secs(10)), Some(0));
    // And it no longer listens.
    assert!(http(addr, "GET", "/healthz", None).is_err());
}
