//! Starting the real `tokenfab` binary and a headless Chromium under
//! chromedriver, each in its own process group that is killed on drop, so a
//! failing test leaves no browser behind; reading the figures the page
//! shows (a figure that is not there fails the test) and what the server
//! holds.

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

/// A local port free now and never handed out before in this process: the
/// system may offer a port again as soon as its listener closes, and two
/// tests running at once would then start two servers on one port (the
/// second failing to bind while its test talks to the first).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free local port");
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
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
    // Something answers; make sure it is this process and not another
    // that holds the port (this one then fails to bind and exits).
    std::thread::sleep(Duration::from_millis(100));
    if let Ok(Some(status)) = child.try_wait() {
        panic!("{what} exited ({status}): another process listens on {addr}");
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

    /// The saved scenario `id` as the API reads it back (name, inputs,
    /// report), or `None` when the server has no scenario by that id.
    pub fn saved_scenario(&self, id: &str) -> Option<serde_json::Value> {
        let path = format!("/api/v1/scenarios/{id}");
        let (status, body) =
            http(self.addr(), "GET", &path, None).unwrap_or_else(|e| panic!("GET {path}: {e}"));
        match status {
            200 => Some(
                serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}")),
            ),
            404 => None,
            other => panic!("GET {path} answered {other}: {body}"),
        }
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

/// A Chromium DevTools command, through chromedriver's extension.
#[derive(Debug)]
struct DevTools {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
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

    /// Opens `url`, a page the server renders alone, and waits for it.
    pub async fn open_static(&self, url: &str) {
        self.client.goto(url).await.expect("page opens");
        self.wait_for_css("main.page").await;
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
        self.wait_for_text_at(&format!("//*[@id='{id}']"), text)
            .await;
    }

    /// Waits until the element `xpath` finds shows exactly `text`.
    pub async fn wait_for_text_at(&self, xpath: &str, text: &str) {
        let condition = format!("normalize-space(.)={}", literal(text));
        self.wait_for_match(xpath, &condition, &format!("showed {text:?}"))
            .await;
    }

    /// Waits until the element `xpath` finds contains `text`.
    pub async fn wait_for_text_at_containing(&self, xpath: &str, text: &str) {
        let condition = format!("contains(., {})", literal(text));
        self.wait_for_match(xpath, &condition, &format!("contained {text:?}"))
            .await;
    }

    /// Waits until the element `xpath` finds meets the XPath `condition`;
    /// fails the test with what it shows instead.
    async fn wait_for_match(&self, xpath: &str, condition: &str, what: &str) {
        let wanted = format!("({xpath})[{condition}]");
        if let Err(e) = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&wanted))
            .await
        {
            let shown = match self.client.find(Locator::XPath(xpath)).await {
                Ok(element) => format!("{:?}", element.text().await.unwrap_or_default()),
                Err(_) => "no such element".to_owned(),
            };
            panic!("{xpath} never {what} (shows {shown}): {e}");
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
        self.wait_for_text_at_containing(&format!("//*[@id='{id}']"), text)
            .await;
    }

    /// The visible text of the element with `id`. A figure that is not on
    /// the page fails the test here, so no check passes on a vanished one.
    pub async fn text_of(&self, id: &str) -> String {
        match self.client.find(Locator::Id(id)).await {
            Ok(element) => element
                .text()
                .await
                .unwrap_or_else(|e| panic!("cannot read #{id}: {e}")),
            Err(e) => panic!("no element #{id} on the page: {e}"),
        }
    }

    /// The visible text of the one element `xpath` finds (a table cell
    /// without an id, say); fails the test when there is none.
    pub async fn text_at(&self, xpath: &str) -> String {
        match self.client.find(Locator::XPath(xpath)).await {
            Ok(element) => element
                .text()
                .await
                .unwrap_or_else(|e| panic!("cannot read {xpath}: {e}")),
            Err(e) => panic!("nothing on the page at {xpath}: {e}"),
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

    /// Lays pages out for print, as Chromium's print preview does, or (with
    /// `false`) for the screen again, with a light system setting.
    pub async fn emulate_print(&self, print: bool) {
        self.emulate_media(print, false).await;
    }

    /// Lays the page out `width` × `height` CSS pixels wide, as a sheet of
    /// paper's printable area is (or, with `None`, the window again):
    /// DevTools' `Emulation.setDeviceMetricsOverride`.
    pub async fn emulate_viewport(&self, size: Option<(u32, u32)>) {
        let (cmd, params) = match size {
            Some((width, height)) => (
                "Emulation.setDeviceMetricsOverride",
                serde_json::json!({
                    "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false
                }),
            ),
            None => (
                "Emulation.clearDeviceMetricsOverride",
                serde_json::json!({}),
            ),
        };
        self.client
            .issue_cmd(DevTools { cmd, params })
            .await
            .expect("chromedriver passes the DevTools command on");
    }

    /// Makes the system setting dark (or, with `false`, light), as a reader
    /// whose operating system is set so, on screen.
    pub async fn emulate_system_dark(&self, dark: bool) {
        self.emulate_media(false, dark).await;
    }

    /// Print or screen media with a dark or light system setting: DevTools'
    /// `Emulation.setEmulatedMedia`, sent through chromedriver. It holds
    /// across navigations.
    pub async fn emulate_media(&self, print: bool, dark: bool) {
        self.client
            .issue_cmd(DevTools {
                cmd: "Emulation.setEmulatedMedia",
                params: serde_json::json!({
                    "media": if print { "print" } else { "" },
                    "features": [{
                        "name": "prefers-color-scheme",
                        "value": if dark { "dark" } else { "light" }
                    }]
                }),
            })
            .await
            .expect("chromedriver passes the DevTools command on");
    }

    /// The result of the JavaScript expression `expression` on the page.
    pub async fn evaluate(&self, expression: &str) -> serde_json::Value {
        self.client
            .execute(&format!("return {expression};"), vec![])
            .await
            .unwrap_or_else(|e| panic!("{expression}: {e}"))
    }

    /// Whether the element `css` selects is laid out (not `display: none`,
    /// nor inside such an element).
    pub async fn is_laid_out(&self, css: &str) -> bool {
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 if (!el) { throw new Error('no element ' + arguments[0]); }
                 return el.getClientRects().length > 0;",
                vec![css.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .as_bool()
            .expect("a boolean")
    }

    /// Pastes `text` into the input or text area `id` in one go, as a
    /// person pasting a file's contents would, and fires its `input` event.
    pub async fn paste_into(&self, id: &str, text: &str) {
        self.client
            .execute(
                "const el = document.getElementById(arguments[0]);
                 el.value = arguments[1];
                 el.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![id.into(), text.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot paste into #{id}: {e}"));
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

    /// The figure shown in element `id`, as a number (`$1,234` -> 1234,
    /// `10.8 M` -> 1.08e7); fails the test when it is missing or not a figure.
    pub async fn number_in(&self, id: &str) -> f64 {
        let text = self.text_of(id).await;
        figure(&text).unwrap_or_else(|| panic!("#{id} shows no figure: {text:?}"))
    }

    /// Waits until the figure in element `id` satisfies `holds` (typing
    /// passes through intermediate values, so a figure is read until it
    /// settles where it should), and returns it. `what` says what was
    /// expected, for the failure message.
    pub async fn wait_for_number(&self, id: &str, what: &str, holds: impl Fn(f64) -> bool) -> f64 {
        let start = Instant::now();
        loop {
            let text = self.text_of(id).await;
            if let Some(value) = figure(&text).filter(|v| holds(*v)) {
                return value;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "#{id} never showed {what} (shows {text:?})"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Ends the session cleanly.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// `text` as an XPath string literal (XPath 1.0 has no escapes, so text
/// with an apostrophe is quoted with double quotes).
fn literal(text: &str) -> String {
    assert!(
        !(text.contains('\'') && text.contains('"')),
        "XPath 1.0 cannot quote {text:?}"
    );
    if text.contains('\'') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    }
}

/// The number a figure on the page shows: `$0.958`, `$15,101`, `2.82`,
/// `1.04 M` (SI prefixes), `$1.574 × 10⁻⁸`. `None` for text that is not
/// one figure, such as an empty cell or a dash.
pub fn figure(text: &str) -> Option<f64> {
    let text = text.trim().trim_start_matches('$');
    let (number, scale) = match text.split_once(" × 10") {
        Some((mantissa, exponent)) => (mantissa, 10_f64.powi(superscript(exponent)?)),
        None => match text.split_once(' ') {
            Some((number, prefix)) => (number, si_scale(prefix)?),
            None => (text, 1.0),
        },
    };
    let digits = number.replace(',', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    digits.parse::<f64>().ok().map(|v| v * scale)
}

/// The value of an SI prefix as the page writes it.
fn si_scale(prefix: &str) -> Option<f64> {
    Some(match prefix {
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        _ => return None,
    })
}

/// An exponent written in superscript (`⁻⁸` -> -8).
fn superscript(text: &str) -> Option<i32> {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let (negative, digits) = match text.strip_prefix('⁻') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: i32 = 0;
    for c in digits.chars() {
        let digit = DIGITS.iter().position(|d| *d == c)?;
        value = value * 10 + i32::try_from(digit).ok()?;
    }
    (!digits.is_empty()).then_some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::figure;

    #[test]
    fn figures_read_as_the_page_writes_them() {
        assert_eq!(figure("$0.958"), Some(0.958));
        assert_eq!(figure("$15,101"), Some(15_101.0));
        assert_eq!(figure("2.82"), Some(2.82));
        assert_eq!(figure("1.04 M"), Some(1.04e6));
        assert_eq!(figure("918 k"), Some(918e3));
        let tiny = figure("$1.574 × 10⁻⁸").unwrap();
        assert!((tiny / 1.574e-8 - 1.0).abs() < 1e-12, "{tiny}");
    }

    #[test]
    fn text_that_is_not_one_figure_is_refused() {
        for text in ["", "—", "<missing>", "$", "1.2.3", "31.2 months", "−$0.5"] {
            assert_eq!(figure(text), None, "{text:?}");
        }
    }
}
