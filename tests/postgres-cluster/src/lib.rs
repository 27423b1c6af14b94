//! Throwaway PostgreSQL clusters for the tests.
//!
//! A cluster lives in a private temporary directory and listens only on a
//! Unix socket there: no port to race for, and no other user can reach it.
//! When the tests run as root (which PostgreSQL refuses) its programs run
//! as Debian's unprivileged `postgres` user. A watchdog process stops and
//! removes the cluster once the test process has gone, however it ended,
//! so a killed test run leaves no server behind.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use tempfile::TempDir;

/// A PostgreSQL cluster of its own, stopped and deleted when dropped.
pub struct Cluster {
    dir: TempDir,
    bin: PathBuf,
    /// Whom PostgreSQL's programs run as, when the tests run as root.
    user: Option<&'static str>,
    watchdog: Child,
    databases: AtomicU32,
    /// A local TCP port it also listens on, for a test that needs the
    /// network's behaviour (a stopped server refuses connections).
    port: Option<u16>,
}

impl Cluster {
    /// Initialises and starts a cluster, trusting connections through its
    /// socket (it is private to this process).
    ///
    /// # Panics
    /// When PostgreSQL's server programs are not installed or fail.
    pub fn start() -> Cluster {
        Cluster::init(None)
    }

    /// A cluster that also listens on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// As [`Cluster::start`].
    pub fn start_on_tcp() -> Cluster {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        Cluster::init(Some(port))
    }

    fn init(port: Option<u16>) -> Cluster {
        let bin = server_programs()
            .expect("PostgreSQL's server is not installed: scripts/setup.sh --browser installs it");
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let user = root.then_some("postgres");
        let dir = tempfile::tempdir().expect("temp dir");
        if let Some(user) = user {
            let done = Command::new("chown")
                .args([user, &dir.path().display().to_string()])
                .status()
                .expect("chown runs");
            assert!(
                done.success(),
                "cannot give the cluster's directory to {user}"
            );
        }
        let watchdog = watch(&dir, &bin, user);
        let cluster = Cluster {
            dir,
            bin,
            user,
            watchdog,
            databases: AtomicU32::new(0),
            port,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.path("data"),
                "-U",
                "tokenfab",
                "--auth=trust",
                "-E",
                "UTF8",
                // Byte order, as SQLite compares text; and no dependence
                // on the machine's installed locales.
                "--no-locale",
                "--no-sync",
            ],
        );
        cluster.start_again();
        cluster
    }

    /// One cluster for the whole test process, started on first use and
    /// removed by its watchdog after the process ends.
    pub fn shared() -> &'static Cluster {
        static SHARED: OnceLock<Cluster> = OnceLock::new();
        SHARED.get_or_init(Cluster::start)
    }

    /// A new empty database on this cluster: its URL (over TCP when the
    /// cluster listens on a port).
    pub fn new_database(&self) -> String {
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            self.databases.fetch_add(1, Ordering::Relaxed)
        );
        let mut createdb = Command::new(self.bin.join("createdb"));
        createdb.args(["-h", &self.path(""), "-U", "tokenfab", &name]);
        if let Some(port) = self.port {
            createdb.args(["-p", &port.to_string()]);
        }
        let out = createdb.output().expect("createdb runs");
        assert!(
            out.status.success(),
            "createdb {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        match self.port {
            Some(port) => format!("postgres://tokenfab@127.0.0.1:{port}/{name}"),
            None => self.url(&name),
        }
    }

    /// The URL of `database` on this cluster, through its socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://tokenfab@localhost/{database}?host={}",
            self.dir.path().display()
        )
    }

    /// Stops the server as an operator's fast shutdown does: sessions are
    /// ended and their transactions rolled back.
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &["-D", &self.path("data"), "-m", "fast", "-w", "stop"],
        );
    }

    /// Starts the server (again, after [`Cluster::stop`]) on the same data.
    pub fn start_again(&self) {
        // pg_ctl hands these to a shell: the directory is quoted.
        let listen = match self.port {
            Some(port) => format!("-c listen_addresses='127.0.0.1' -p {port}"),
            None => "-c listen_addresses=''".to_owned(),
        };
        let options = format!(
            "-k '{}' {listen} -c fsync=off -c max_connections=300",
            self.path("")
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.path("data"),
                "-l",
                &self.path("log"),
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Runs one of the server's programs, as its user when there is one.
    fn run(&self, program: &str, args: &[&str]) {
        let out = as_user(self.user, &self.bin.join(program))
            .args(args)
            .output()
            .expect("PostgreSQL's programs run");
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
        let _ = as_user(self.user, &self.bin.join("pg_ctl"))
            .args(["-D", &self.path("data"), "-m", "immediate", "stop"])
            .output();
    }
}

/// The newest installed PostgreSQL's server programs (Debian keeps each
/// major version under its own directory).
fn server_programs() -> Option<PathBuf> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|v| v.path())
        .filter(|v| v.join("bin").join("initdb").exists())
        // By major version as a number: 17 is newer than 9.6.
        .max_by_key(|v| {
            v.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.split('.').next())
                .and_then(|major| major.parse::<u32>().ok())
                .unwrap_or(0)
        })
        .map(|v| v.join("bin"))
}

fn as_user(user: Option<&str>, program: &std::path::Path) -> Command {
    match user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// A process, in a group of its own so an interrupt to the tests does not
/// reach it, that waits for this process to end and then stops the
/// cluster and removes its directory.
fn watch(dir: &TempDir, bin: &std::path::Path, user: Option<&str>) -> Child {
    const SCRIPT: &str = r#"
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        if [ -n "$5" ]; then
            runuser -u "$5" -- "$2" -D "$3" -m immediate stop
        else
            "$2" -D "$3" -m immediate stop
        fi >/dev/null 2>&1
        rm -rf "$4"
    "#;
    Command::new("sh")
        .args(["-c", SCRIPT, "watchdog"])
        .arg(std::process::id().to_string())
        .arg(bin.join("pg_ctl"))
        .arg(dir.path().join("data"))
        .arg(dir.path())
        .arg(user.unwrap_or(""))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("sh runs")
}
