//! `deploy/nginx.conf`, as shipped, in front of tokenfab instances on one
//! PostgreSQL database: what a user of the site sees through the proxy.
//!
//! The test runs Debian's nginx in a directory of its own, on the deploy
//! file with only the instances' addresses and the listen address changed.
//! nginx connects to the instances from 127.0.0.2 and the instances trust
//! that address alone (`--trusted-proxy`), while the test's client talks to
//! nginx from 127.0.0.1: so the server can tell the proxy from the client on
//! one machine, as it does across two.
#![allow(clippy::unwrap_used)] // a panic is how a test reports failure

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use end_to_end::{PATIENCE, Server, workspace_root};
use postgres_cluster::Cluster;
use tempfile::TempDir;

/// The address nginx connects to the instances from.
const PROXY_ADDRESS: &str = "127.0.0.2";

#[test]
fn a_saved_scenario_and_its_edit_read_back_the_same_from_every_instance() {
    let site = Site::start(&[]);
    let saved = site.save("support chat");

    // Round robin spreads the reads over the instances; each answers the
    // same scenario from the one database.
    let reads: Vec<String> = (0..6)
        .map(|_| {
            let read = site.get(&format!("/api/v1/scenarios/{}", saved.id));
            assert_eq!(read.status, 200, "{}", read.body);
            read.body
        })
        .collect();
    assert!(
        reads.iter().all(|r| *r == reads[0]),
        "reads differ: {reads:#?}"
    );
    let stored: serde_json::Value = serde_json::from_str(&reads[0]).unwrap();
    assert_eq!(stored["name"], "support chat");
    site.assert_every_instance_served("GET");

    // An edit through one instance is what the next reads see, whichever
    // instance answers them.
    let edit = site.proxy.send(
        "PUT",
        &format!("/api/v1/scenarios/{}", saved.id),
        &[
            ("Authorization", &format!("Bearer {}", saved.edit_token)),
            ("If-Match", "\"1\""),
        ],
        r#"{"name":"x"}"#,
    );
    assert_eq!(edit.status, 204, "{}", edit.body);
    for _ in 0..site.instances.len() {
        let read = site.get(&format!("/api/v1/scenarios/{}", saved.id));
        assert_eq!(read.status, 200, "{}", read.body);
        let stored: serde_json::Value = serde_json::from_str(&read.body).unwrap();
        assert_eq!(stored["name"], "x", "an instance still shows the old name");
    }
}

#[test]
fn the_write_limit_holds_across_instances_and_is_not_escaped_by_a_forged_header() {
    let site = Site::start(&["--writes-per-minute", "1", "--write-burst", "3"]);
    for _ in 0..3 {
        site.save("within the burst");
    }
    // The saves went to more than one instance, yet the limit counts them
    // together: it is kept in the database.
    site.assert_every_instance_served("POST");
    let refused = site
        .proxy
        .send("POST", "/api/v1/scenarios", &[], &save_body("one too many"));
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(
        refused.header("retry-after").is_some(),
        "a 429 says when to retry"
    );

    // A client naming another address: nginx appends the one it sees, and
    // that is the one the instances read.
    let forged = site.proxy.send(
        "POST",
        "/api/v1/scenarios",
        &[("X-Forwarded-For", "198.51.100.7")],
        &save_body("forged"),
    );
    assert_eq!(forged.status, 429, "{}", forged.body);

    // The limit counted the client (127.0.0.1), not the proxy (127.0.0.2):
    // the same client going straight to an instance is refused as well.
    let direct = send(
        site.instances[0].addr(),
        "POST",
        "/api/v1/scenarios",
        &[],
        &save_body("straight to an instance"),
    );
    assert_eq!(direct.status, 429, "{}", direct.body);
}

#[test]
fn reads_and_saves_go_on_when_an_instance_is_killed() {
    let mut site = Site::start(&[]);
    let saved = site.save("before the kill");
    site.instances.remove(0).kill();

    // Saves first, while nginx still counts the dead instance in: round
    // robin sends one of two there. Its connection is refused, so the save
    // never reached it and is passed on (it cannot be made twice).
    site.save("after the kill");
    site.save("after the kill, again");
    assert!(
        site.proxy
            .log()
            .iter()
            .any(|r| r.method == "POST" && r.upstreams.len() > 1),
        "no save was passed on from the killed instance: {:#?}",
        site.proxy.log()
    );
    for _ in 0..6 {
        let read = site.get(&format!("/api/v1/scenarios/{}", saved.id));
        assert_eq!(read.status, 200, "{}", read.body);
    }
}

#[test]
fn the_largest_upload_the_server_takes_passes_the_proxy() {
    let site = Site::start(&[]);
    // A calibration body of the server's limit, 16 MiB: nginx's default
    // limit (1 MiB) would answer 413 itself.
    let mut body = String::from("{}");
    body.push_str(&" ".repeat(16 * 1024 * 1024 - body.len()));
    let answer = site.proxy.send("POST", "/api/v1/calibrate", &[], &body);
    // The server read it all and answers about its content.
    assert_ne!(answer.status, 413, "{}", answer.body);
    assert!(
        answer.header("x-request-id").is_some() && (400..500).contains(&answer.status),
        "not the server's answer: {} {}",
        answer.status,
        answer.body
    );
}

#[test]
fn request_ids_pass_through_the_proxy() {
    let site = Site::start(&[]);
    // The client's id is kept, so its report names a line of the logs.
    let answer = site
        .proxy
        .send("GET", "/healthz", &[("X-Request-Id", "client-42")], "");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("x-request-id"), Some("client-42"));
    assert!(
        answer.body.contains(r#""database":"postgres""#),
        "{}",
        answer.body
    );
    // Without one, nginx's own id (32 hex digits; the server's have 16), so
    // nginx's log and the instance's share it.
    let answer = site.get("/healthz");
    let id = answer.header("x-request-id").unwrap_or_default();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "not nginx's id: {id:?}"
    );
}

/// Instances of tokenfab on one new database, behind nginx.
struct Site {
    /// Dropped first: nginx goes before the instances it sends to.
    proxy: Nginx,
    instances: Vec<Server>,
}

/// A scenario as saved: its id and edit token.
struct Saved {
    id: String,
    edit_token: String,
}

impl Site {
    /// As many instances as the deploy file's upstream lists, each with
    /// `flags`, and nginx in front of them.
    fn start(flags: &[&str]) -> Site {
        let deploy = std::fs::read_to_string(workspace_root().join("deploy/nginx.conf")).unwrap();
        let count = upstream_servers(&deploy);
        assert!(count >= 2, "the deploy file lists {count} instance(s)");
        let database = Cluster::shared().new_database();
        let mut args = vec![
            "--database-url",
            &database,
            "--trusted-proxy",
            PROXY_ADDRESS,
        ];
        args.extend_from_slice(flags);
        // One after the other: the first creates the tables.
        let instances: Vec<Server> = (0..count)
            .map(|_| Server::start_with(tempfile::tempdir().unwrap(), &args))
            .collect();
        let addrs: Vec<SocketAddr> = instances.iter().map(Server::addr).collect();
        let proxy = Nginx::start(&deploy, &addrs);
        Site { proxy, instances }
    }

    /// GET `path` through the proxy.
    fn get(&self, path: &str) -> Answer {
        self.proxy.send("GET", path, &[], "")
    }

    /// Saves a scenario named `name` through the proxy.
    fn save(&self, name: &str) -> Saved {
        let answer = self
            .proxy
            .send("POST", "/api/v1/scenarios", &[], &save_body(name));
        assert_eq!(answer.status, 201, "save {name:?}: {}", answer.body);
        let saved: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        Saved {
            id: saved["id"].as_str().unwrap().to_owned(),
            edit_token: saved["edit_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Fails unless nginx's log shows every instance answering a `method`.
    fn assert_every_instance_served(&self, method: &str) {
        let log = self.proxy.log();
        for instance in &self.instances {
            assert!(
                log.iter()
                    .any(|r| r.method == method && r.upstreams.last() == Some(&instance.addr())),
                "no {method} went to {}: {log:#?}",
                instance.addr()
            );
        }
    }
}

/// The body that saves the example deployment as `name`.
fn save_body(name: &str) -> String {
    let scenario: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace_root().join("tests/scenarios/llama-70b-support-chat.json"),
        )
        .unwrap(),
    )
    .unwrap();
    serde_json::json!({ "name": name, "scenario": scenario }).to_string()
}

/// nginx, run in the foreground in its own process group from a temporary
/// directory holding its configuration, logs, pid file and buffers; killed
/// with its workers on drop.
struct Nginx {
    process: Child,
    dir: TempDir,
    addr: SocketAddr,
    /// Requests sent through it, each of which it logs.
    sent: std::sync::atomic::AtomicUsize,
}

/// One line of nginx's access log.
#[derive(Debug)]
struct Logged {
    method: String,
    /// The instances tried, in order (more than one: passed on).
    upstreams: Vec<SocketAddr>,
}

impl Nginx {
    /// Starts nginx on `deploy` (the deploy file's text) with its upstream
    /// servers replaced by `instances` and its listen address by a free
    /// local port.
    fn start(deploy: &str, instances: &[SocketAddr]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let addr: SocketAddr = ([127, 0, 0, 1], free_port()).into();
        let path = |name: &str| dir.path().join(name).display().to_string();
        std::fs::write(path("tokenfab.conf"), rewrite(deploy, instances, addr)).unwrap();
        // As root, nginx's workers run as `nobody` (its built-in user, so no
        // `user` line), who must get through this private directory to the
        // buffers the master makes there for it: a body over nginx's 16 KiB
        // buffer goes to a file. As anyone else, workers run as that user
        // and nginx needs nothing more.
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if root {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        }
        // Everything nginx writes stays in the directory (Debian's build
        // would use /run and /var/lib/nginx); the access log names the
        // instances each request went to.
        let main = format!(
            "pid {pid};
error_log {errors} warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {body};
    proxy_temp_path {proxy};
    fastcgi_temp_path {fastcgi};
    uwsgi_temp_path {uwsgi};
    scgi_temp_path {scgi};
    log_format upstreams '$request_method|$upstream_addr';
    access_log {access} upstreams;
    proxy_bind {PROXY_ADDRESS};
    include {site};
}}
",
            pid = path("nginx.pid"),
            errors = path("error.log"),
            body = path("body"),
            proxy = path("proxy"),
            fastcgi = path("fastcgi"),
            uwsgi = path("uwsgi"),
            scgi = path("scgi"),
            access = path("access.log"),
            site = path("tokenfab.conf"),
        );
        std::fs::write(path("nginx.conf"), main).unwrap();
        let mut process = Command::new(nginx_program())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(path("nginx.conf"))
            .arg("-e")
            .arg(path("error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("nginx starts (scripts/setup.sh --browser installs it)");
        // nginx writes its pid file once it holds its listening socket (it
        // would exit after failing to bind).
        let start = Instant::now();
        let pid_file = dir.path().join("nginx.pid");
        while !pid_file.exists() || TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = process.try_wait() {
                panic!(
                    "nginx exited ({status}): {}",
                    std::fs::read_to_string(path("error.log")).unwrap_or_default()
                );
            }
            assert!(start.elapsed() < PATIENCE, "nginx did not listen on {addr}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            process,
            dir,
            addr,
            sent: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// One exchange with nginx.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        self.sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        send(self.addr, method, path, headers, body)
    }

    /// The requests nginx has answered. It logs a request after sending
    /// the answer, so this waits (a while at most) until every request
    /// sent through it is in the log.
    fn log(&self) -> Vec<Logged> {
        let sent = self.sent.load(std::sync::atomic::Ordering::Relaxed);
        let path = self.dir.path().join("access.log");
        let start = std::time::Instant::now();
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        while text.lines().count() < sent && start.elapsed() < PATIENCE {
            std::thread::sleep(Duration::from_millis(10));
            text = std::fs::read_to_string(&path).unwrap_or_default();
        }
        text.lines()
            .map(|line| {
                let (method, upstreams) = line.split_once('|').unwrap();
                Logged {
                    method: method.to_owned(),
                    upstreams: upstreams
                        .split(", ")
                        .filter_map(|a| a.parse().ok())
                        .collect(),
                }
            })
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.process.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.process.wait();
    }
}

/// How many servers the deploy file's upstream block lists.
fn upstream_servers(deploy: &str) -> usize {
    let mut inside = false;
    deploy
        .lines()
        .filter(|line| {
            let line = line.trim();
            if line.starts_with("upstream ") {
                inside = true;
            } else if line == "}" {
                inside = false;
            }
            inside && line.starts_with("server ")
        })
        .count()
}

/// The deploy file with its upstream servers' addresses replaced by
/// `instances` (their parameters kept) and its listen line by `listen`;
/// every other line as written.
fn rewrite(deploy: &str, instances: &[SocketAddr], listen: SocketAddr) -> String {
    let mut instances = instances.iter();
    let mut inside = false;
    let mut listens = 0;
    let mut site = String::new();
    for line in deploy.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with("upstream ") {
            inside = true;
        } else if trimmed.trim_end() == "}" {
            inside = false;
        }
        if inside && trimmed.starts_with("server ") {
            let rest = trimmed["server ".len()..].trim_start();
            let parameters = &rest[rest.find([' ', ';']).unwrap()..];
            let instance = instances.next().unwrap();
            site.push_str(&format!("{indent}server {instance}{parameters}\n"));
        } else if trimmed.starts_with("listen ") {
            listens += 1;
            site.push_str(&format!("{indent}listen {listen};\n"));
        } else {
            site.push_str(line);
            site.push('\n');
        }
    }
    assert!(
        instances.next().is_none(),
        "more instances than upstream servers"
    );
    assert_eq!(listens, 1, "the deploy file should listen on one address");
    site
}

/// nginx on the `PATH`, or where Debian puts it (`/usr/sbin` is not on
/// other users' `PATH`).
fn nginx_program() -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("nginx"))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/nginx"))
}

/// A local port free now and not handed out before by this process.
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap();
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// An HTTP answer: its status, headers (names in lower case) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    /// The value of header `name` (lower case), if present.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange with `headers` added to the request, over a new
/// connection; panics when the connection fails.
fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let exchange = || -> std::io::Result<String> {
        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(PATIENCE))?;
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: planner.example.org\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        Ok(response)
    };
    let response = exchange().unwrap_or_else(|e| panic!("{method} {path} on {addr}: {e}"));
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{method} {path}: no header end in {response:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status in {response:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    assert!(
        !headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")),
        "{method} {path}: a chunked answer, which this client does not read"
    );
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}
