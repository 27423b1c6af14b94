//! Starting the real `tokenfab` binary and a headless Chromium under
//! chromedriver, each in its own process group that is killed on drop, so a
//! failing test leaves no browser behind.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tempfile::TempDir;

/// How long to wait for a process to listen, or a page to reach a state.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The workspace root, whatever directory the test runs in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace")
        .to_path_buf()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

fn wait_until_listening(addr: SocketAddr, child: &mut Child, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(addr).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{what} did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A child process in its own process group, killed with its children on drop.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.wait();
    }
}

/// A running `tokenfab serve` with its own empty data directory.
pub struct Server {
    _process: Group,
    /// Base URL, without a trailing slash.
    pub url: String,
    /// The server's data directory.
    pub data_dir: TempDir,
}

impl Server {
    /// Starts the binary at `TOKENFAB_BIN` (default `target/debug/tokenfab`)
    /// on a free port, serving the site built in `target/site`.
    pub fn start() -> Self {
        Server::start_in(tempfile::tempdir().expect("temp dir"))
    }

    /// Starts the binary on the data in `data_dir` (a restart after [`Server::kill`]).
    pub fn start_in(data_dir: TempDir) -> Self {
        Server::start_with(data_dir, &[])
    }

    /// Starts the binary on `data_dir` with `flags` added to `serve`'s.
    pub fn start_with(data_dir: TempDir, flags: &[&str]) -> Self {
        let root = workspace_root();
        let binary = std::env::var_os("TOKENFAB_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/debug/tokenfab"));
        let site_root = root.join("target/site");
        assert!(
            binary.exists() && site_root.join("pkg/tokenfab.wasm").exists(),
            "build first: scripts/build-site.sh && cargo build -p server"
        );
        let addr: SocketAddr = ([127, 0, 0, 1], free_port()).into();
        let mut child = Command::new(&binary)
            .arg("serve")
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(data_dir.path())
            .arg("--site-root")
            .arg(&site_root)
            .arg("--log")
            .arg("warn")
            .args(flags)
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("tokenfab starts");
        wait_until_listening(addr, &mut child, "tokenfab");
        Server {
            _process: Group(child),
            url: format!("http://{addr}"),
            data_dir,
        }
    }
}

impl Server {
    /// Asks the server to stop (SIGTERM), as a service manager would.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self._process.0.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "SIGTERM not delivered");
    }

    /// Waits up to `patience` for the server to exit; its exit code, if it did.
    pub fn wait_for_exit(&mut self, patience: Duration) -> Option<i32> {
        let start = Instant::now();
        while start.elapsed() < patience {
            if let Ok(Some(status)) = self._process.0.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Kills the server at once (SIGKILL: no shutdown, no flush) and hands
    /// back its data directory.
    pub fn kill(self) -> TempDir {
        let Server {
            _process, data_dir, ..
        } = self;
        drop(_process);
        data_dir
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.url
            .trim_start_matches("http://")
            .parse()
            .expect("the URL is an address")
    }
}

/// One plain HTTP/1.1 exchange over a new connection: the status and body.
/// Enough for the JSON API; pages may stream and are read with a browser.
///
/// # Errors
/// When the connection fails (the server is gone).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// Headless Chromium driven through chromedriver.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    _driver: Group,
    _profile: TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

static BROWSER_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile.
    /// Sessions run one at a time: two browsers on two cores make timing
    /// flaky for no gain in coverage.
    pub async fn start() -> Self {
        let turn = BROWSER_TURN.lock().await;
        let port = free_port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts (scripts/setup.sh --browser installs it)");
        wait_until_listening(([127, 0, 0, 1], port).into(), &mut driver, "chromedriver");
        let profile = tempfile::tempdir().expect("temp dir");
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        // chromedriver may accept connections a moment before it serves them.
        let start = Instant::now();
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if start.elapsed() > PATIENCE => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            _driver: Group(driver),
            _profile: profile,
            _turn: turn,
        }
    }

    /// Opens `url` and waits until the app has hydrated.
    pub async fn open_hydrated(&self, url: &str) {
        self.client.goto(url).await.expect("page opens");
        self.wait_for_css("main[data-hydrated='true']").await;
    }

    /// Waits for an element matching `css`.
    pub async fn wait_for_css(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits until the element with `id` shows exactly `text`.
    pub async fn wait_for_text(&self, id: &str, text: &str) {
        let xpath = format!("//*[@id='{id}' and normalize-space(.)='{text}']");
        if let Err(e) = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
        {
            let shown = self.text_of(id).await;
            panic!("#{id} never showed {text:?} (shows {shown:?}): {e}");
        }
    }

    /// Clicks the element with `id` once it is there and enabled (a button
    /// may wait for a file to be read, say).
    pub async fn click(&self, id: &str) {
        self.wait_for_css(&format!("#{id}:not([disabled])"))
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click #{id}: {e}"));
    }

    /// Waits until the element with `id` contains `text`.
    pub async fn wait_for_text_containing(&self, id: &str, text: &str) {
        let xpath = format!("//*[@id='{id}' and contains(., '{text}')]");
        if let Err(e) = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
        {
            let shown = self.text_of(id).await;
            panic!("#{id} never contained {text:?} (shows {shown:?}): {e}");
        }
    }

    /// The visible text of the element with `id`.
    pub async fn text_of(&self, id: &str) -> String {
        match self.client.find(Locator::Id(id)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::from("<missing>"),
        }
    }

    /// Replaces the text of input `id` as a person would: clear, then type.
    pub async fn type_into(&self, id: &str, text: &str) {
        let input = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no input #{id}: {e}"));
        input.clear().await.expect("input clears");
        input.send_keys(text).await.expect("typing works");
    }

    /// Sets a control's value as a user's pick would (a suggestion chosen
    /// from a list, an option selected) and fires its `input` and `change`
    /// events.
    pub async fn pick(&self, id: &str, value: &str) {
        self.client
            .execute(
                "const el = document.getElementById(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![id.into(), value.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot pick {value:?} in #{id}: {e}"));
    }

    /// The current value of the form control `id`.
    pub async fn value_of(&self, id: &str) -> String {
        self.client
            .execute(
                "return document.getElementById(arguments[0]).value",
                vec![id.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("no control #{id}: {e}"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Opens every collapsed section, so the fields inside can be typed into.
    pub async fn open_all_sections(&self) {
        self.client
            .execute(
                "document.querySelectorAll('details').forEach(d => d.open = true);",
                vec![],
            )
            .await
            .expect("sections open");
    }

    /// The first number in the text of element `id` (`$1.30 per million` -> 1.3).
    pub async fn number_in(&self, id: &str) -> f64 {
        let text = self.text_of(id).await;
        let digits: String = text
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .filter(|c| *c != ',')
            .collect();
        digits
            .parse()
            .unwrap_or_else(|_| panic!("no number in #{id}: {text:?}"))
    }

    /// Waits until the text of element `id` is no longer `old`, and returns it.
    pub async fn wait_for_change(&self, id: &str, old: &str) -> String {
        for _ in 0..200 {
            let now = self.text_of(id).await;
            if now != old {
                return now;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("#{id} stayed {old:?}");
    }

    /// Ends the session cleanly.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}
