//! Harness for end-to-end tests: the real `disk-server` binary with the built console, and headless
//! Chromium driven over WebDriver. Elements are found the way a person finds them: by role and visible name.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::future::Future;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T = ()> = std::result::Result<T, BoxError>;

fn env_path(name: &str, fallback: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        format!("{root}/{fallback}")
    })
}

/// A running disk-server on a free loopback port, killed on drop.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Server {
    /// Starts the server with an in-memory demo region and the built console, plus `extra` flags.
    pub async fn start(extra: &[&str]) -> Result<Self> {
        Self::start_at("127.0.0.1:0", extra).await
    }

    /// Starts the server on a given address (to restart it where it was).
    pub async fn start_at(listen: &str, extra: &[&str]) -> Result<Self> {
        Self::start_with_env(listen, extra, &[]).await
    }

    /// The same, with environment variables (credentials travel there, never on the command line).
    pub async fn start_with_env(listen: &str, extra: &[&str], env: &[(&str, &str)]) -> Result<Self> {
        let bin = env_path("DISK_SERVER_BIN", "target/debug/disk-server");
        let dist = env_path("DISK_CONSOLE_DIST", "dist");
        let mut child = Command::new(&bin)
            .args(["--listen", listen])
            .args(if extra.contains(&"--dist") { vec![] } else { vec!["--dist", dist.as_str()] })
            .args(if extra.contains(&"--db") { &[][..] } else { &["--db", ":memory:"][..] })
            // Tests count snapshots from zero; a test that wants the demo's passes `--demo-snapshots true`.
            .args(if extra.contains(&"--demo-snapshots") {
                &[][..]
            } else {
                &["--demo-snapshots", "false"][..]
            })
            .args(extra)
            .env("DISK_SERVER_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .map_err(|_| "disk-server did not start within 30 s")??
            .ok_or("disk-server exited before listening")?;
        let base =
            line.strip_prefix("listening on ").ok_or_else(|| format!("unexpected first line {line:?}"))?;
        Ok(Self { child, base: base.to_owned() })
    }

    /// The process ID (to send it a signal).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// `127.0.0.1:PORT`
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.kill_group();
    }
}

/// A host page's web server: static files from one folder on a free loopback port, each answer with the
/// given Content-Security-Policy. Stands in for a company portal (another origin than the console).
pub struct StaticSite {
    task: tokio::task::JoinHandle<()>,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
}

impl StaticSite {
    pub async fn start(
        dir: std::path::PathBuf,
        csp: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> Result<Self> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let origin = format!("http://{}", listener.local_addr()?);
        let csp = std::sync::Arc::new(csp(&origin));
        let task = tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let (dir, csp) = (dir.clone(), csp.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut len = 0;
                    while len < buf.len() {
                        match conn.read(&mut buf[len..]).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => len += n,
                        }
                        if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..len]).into_owned();
                    let target = head.split_whitespace().nth(1).unwrap_or("/");
                    let path = target.split(['?', '#']).next().unwrap_or("/").trim_start_matches('/');
                    let path = if path.is_empty() { "index.html" } else { path };
                    let file = (!path.contains("..")).then(|| dir.join(path));
                    let (status, body) = match file {
                        Some(f) => match tokio::fs::read(&f).await {
                            Ok(b) => ("200 OK", b),
                            Err(_) => ("404 Not Found", b"not found".to_vec()),
                        },
                        None => ("404 Not Found", b"not found".to_vec()),
                    };
                    let kind = match path.rsplit('.').next() {
                        Some("html") => "text/html; charset=utf-8",
                        Some("js") => "text/javascript",
                        Some("css") => "text/css",
                        _ => "application/octet-stream",
                    };
                    let head = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\ncontent-security-policy: {csp}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = conn.write_all(head.as_bytes()).await;
                    let _ = conn.write_all(&body).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        Ok(Self { task, origin })
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Headless Chromium behind chromedriver, both stopped on drop (also when a test fails before `close`).
pub struct Browser {
    _driver: Child,
    /// chromedriver's process group: the browser it starts belongs to it, so one signal ends both.
    group: Option<u32>,
    pub client: Client,
}

impl Browser {
    pub async fn start() -> Result<Self> {
        Self::start_with_page_load("normal").await
    }

    /// A browser whose navigations return as WebDriver's `pageLoadStrategy` says: `normal` (the load event),
    /// `eager` (DOMContentLoaded) or `none` (at once; the benchmark then watches the page itself).
    pub async fn start_with_page_load(strategy: &str) -> Result<Self> {
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e}"))?;
        let group = driver.id();
        let profile = std::env::temp_dir().join(format!("dc-e2e-profile-{port}"));
        let caps = json!({
            "pageLoadStrategy": strategy,
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1400,1000", format!("--user-data-dir={}", profile.display())
                ]
            }
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => return Err(format!("chromedriver: {e}").into()),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Self { _driver: driver, group, client })
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.kill_group();
    }

    fn kill_group(&mut self) {
        if let Some(pgid) = self.group.take() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pgid}")])
                .stderr(Stdio::null())
                .status();
        }
    }

    /// Opens `url` and, where disk-server rendered the first view into the page, waits (up to 10 s) until the
    /// console has taken it over, so what a test finds is the console's own view.
    pub async fn goto(&self, url: &str) -> Result {
        self.client.goto(url).await?;
        self.taken_over().await
    }

    /// Reloads the page, and waits as [`Browser::goto`] does.
    pub async fn reload(&self) -> Result {
        self.client.refresh().await?;
        self.taken_over().await
    }

    /// Waits (up to 10 s) until no first view rendered by disk-server is left in the page.
    pub async fn taken_over(&self) -> Result {
        let t0 = std::time::Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            let pending =
                self.client.execute("return !!document.querySelector('[data-prerendered]')", vec![]).await?;
            if pending.as_bool() != Some(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Opens `url` and returns at once (the first view disk-server rendered may still be on screen).
    pub async fn goto_now(&self, url: &str) -> Result {
        self.client.goto(url).await?;
        Ok(())
    }

    /// The path and query of the page's URL.
    pub async fn location(&self) -> Result<String> {
        let v = self.client.execute("return location.pathname + location.search", vec![]).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Calls the page's own origin API with `fetch` and returns the decoded JSON.
    pub async fn api(&self, path: &str) -> Result<Value> {
        let v = self
            .client
            .execute_async(
                "const [path, done] = arguments; fetch(path).then(r => r.json()).then(done, e => done({fetchError: String(e)}))",
                vec![json!(path)],
            )
            .await?;
        Ok(v)
    }

    /// Sends `body` (JSON) to `path` on the page's origin with `method`; gives the HTTP status.
    pub async fn send_json(&self, method: &str, path: &str, body: Value) -> Result<u16> {
        let v = self
            .client
            .execute_async(
                "const [method, path, body, done] = arguments; fetch(path, {method, headers: {'content-type': 'application/json'}, \
                 body: JSON.stringify(body)}).then(r => done(r.status), e => done(0))",
                vec![json!(method), json!(path), body],
            )
            .await?;
        Ok(v.as_u64().unwrap_or(0) as u16)
    }

    /// Arms the emulator's failure knob: the next call of `operation` fails (`mode` `reject` or `fail`).
    pub async fn arm_failure(&self, operation: &str, mode: &str) -> Result {
        let status = self
            .send_json("POST", "/_emulator/failures", json!({"operation": operation, "mode": mode}))
            .await?;
        ensure(status == 200, format!("arming {operation}: {status}"))
    }

    /// Makes the viewport `width`×`height` CSS pixels (a phone: 390×844), as DevTools' device mode does.
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result {
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": true});
        self.cdp("Emulation.setDeviceMetricsOverride", params).await?;
        Ok(())
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Sends keys to the focused element (WebDriver key codes: `keys::TAB`, …).
    pub async fn keys(&self, keys: &str) -> Result {
        self.client.active_element().await?.send_keys(keys).await?;
        Ok(())
    }

    /// The `id`, or else the text, of the focused element.
    pub async fn focused(&self) -> Result<String> {
        let v = self
            .js("const e = document.activeElement; return e ? (e.id || e.textContent.trim()) : ''")
            .await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The open dialog named `name` (by its `aria-labelledby` title), once focus has moved into it (as the
    /// dialog contract says it does), so keys typed next land in the dialog.
    pub async fn dialog(&self, name: &str) -> Result<Element> {
        let dialog = self
            .find(&format!(
                "//*[@role='dialog' and @aria-modal='true' and @aria-labelledby=//*[normalize-space()={}]/@id]",
                xpath_str(name)
            ))
            .await?;
        eventually(|| async {
            let inside = self.js("return !!document.activeElement.closest('[role=dialog]')").await?;
            ensure(inside == true, "focus did not move into the dialog")
        })
        .await?;
        Ok(dialog)
    }

    /// Waits until no dialog is open.
    pub async fn no_dialog(&self) -> Result {
        eventually(|| async {
            let n = self.js("return document.querySelectorAll('[role=dialog]').length").await?;
            ensure(n == 0, "a dialog is still open")
        })
        .await
    }

    /// Waits until the page's text contains `text`.
    pub async fn sees(&self, text: &str) -> Result {
        eventually(|| async {
            ensure(self.text().await?.contains(text), format!("page does not show {text:?}"))
        })
        .await
        .map_err(|e| format!("{e}").into())
    }

    /// The disks of a region in a status, asked of the API directly.
    pub async fn disks_with_status(&self, region: &str, status: &str) -> Result<Vec<Value>> {
        let v = self
            .api(&format!(
                "/v1/regions/{region}/disks?pageSize=100&filters.1.name=status&filters.1.values.1={status}"
            ))
            .await?;
        Ok(v["result"]["disks"].as_array().cloned().unwrap_or_default())
    }

    /// The snapshots of a region, asked of the API directly.
    pub async fn snapshots(&self, region: &str) -> Result<Vec<Value>> {
        let v = self.api(&format!("/v1/regions/{region}/snapshots?pageSize=100")).await?;
        Ok(v["result"]["snapshots"].as_array().cloned().unwrap_or_default())
    }

    /// Creates a snapshot through the API from the page (as another client would); returns its ID.
    pub async fn create_snapshot(&self, region: &str, disk: &str, name: &str, token: &str) -> Result<String> {
        self.create_snapshot_at("", region, disk, name, token).await
    }

    /// The same, against the API at `origin` (`http://127.0.0.1:PORT`), from a page on another origin.
    pub async fn create_snapshot_at(
        &self,
        origin: &str,
        region: &str,
        disk: &str,
        name: &str,
        token: &str,
    ) -> Result<String> {
        let body = json!({"clientToken": token, "snapshotSpec": {"name": name, "diskId": disk}}).to_string();
        let v = self
            .client
            .execute_async(
                "const [url, body, done] = arguments; fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body}).then(r => r.json()).then(done)",
                vec![Value::from(format!("{origin}/v1/regions/{region}/snapshots")), Value::from(body)],
            )
            .await?;
        Ok(v["result"]["snapshotId"].as_str().ok_or_else(|| format!("create failed: {v}"))?.to_owned())
    }

    /// Waits (up to `limit`) until the table row that mentions `name` shows `status`.
    pub async fn row_shows(&self, name: &str, status: &str, limit: Duration) -> Result {
        let xpath = format!("{}//*[normalize-space()={}]", row(name), xpath_str(status));
        eventually_within(limit, || async {
            self.client.find(Locator::XPath(&xpath)).await?;
            Ok(())
        })
        .await
    }

    /// Waits (up to `limit`) for the "Live updates paused" banner and gives its text.
    pub async fn paused_banner(&self, limit: Duration) -> Result<String> {
        let xpath = "//*[@role='status' and starts-with(normalize-space(), 'Live updates paused')]";
        eventually_within(limit, || async {
            Ok(self.client.find(Locator::XPath(xpath)).await?.text().await?)
        })
        .await
    }

    /// Waits until no "Live updates paused" banner is shown.
    pub async fn no_paused_banner(&self) -> Result {
        eventually(|| async {
            let n = self
                .js("return [...document.querySelectorAll('[role=status]')].filter(e => e.innerText.includes('Live updates paused')).length")
                .await?;
            ensure(n == 0, "the live-updates banner is still shown")
        })
        .await
    }

    /// Marks the page, so [`Browser::not_reloaded`] can tell it is still the same page.
    pub async fn mark_page(&self) -> Result {
        self.js("window.__noReload = 'still here'; return 1").await?;
        Ok(())
    }

    /// Fails when the page was reloaded since [`Browser::mark_page`].
    pub async fn not_reloaded(&self) -> Result {
        let v = self.js("return window.__noReload || ''").await?;
        ensure(v == "still here", "the page was reloaded")
    }

    /// Takes the browser offline or back online with Chromium's own network emulation (what DevTools'
    /// "Offline" does): every request fails, loopback included.
    pub async fn set_offline(&self, offline: bool) -> Result {
        let conditions =
            json!({"offline": offline, "latency": 0, "download_throughput": -1, "upload_throughput": -1});
        let body = json!({ "network_conditions": conditions });
        self.client.issue_cmd(Chromedriver { path: "chromium/network_conditions", body }).await?;
        Ok(())
    }

    /// A slow network for this browser (chromedriver's network emulation): `latency_ms` each way and
    /// `kbit_per_sec` both ways; `None` takes it off.
    pub async fn set_network(&self, slow: Option<(u32, u32)>) -> Result {
        let conditions = match slow {
            Some((latency, kbit)) => {
                let bytes = f64::from(kbit) * 1000.0 / 8.0;
                json!({"offline": false, "latency": latency, "download_throughput": bytes, "upload_throughput": bytes})
            }
            None => {
                json!({"offline": false, "latency": 0, "download_throughput": -1, "upload_throughput": -1})
            }
        };
        let body = json!({ "network_conditions": conditions });
        self.client.issue_cmd(Chromedriver { path: "chromium/network_conditions", body }).await?;
        Ok(())
    }

    /// How the page loaded, by the browser's own timing, waiting up to 30 s for the console to run its view:
    /// see [`FirstLoad`].
    pub async fn first_load(&self) -> Result<FirstLoad> {
        let script = "const done = arguments[0]; const t0 = Date.now(); const look = () => { \
            const at = n => (performance.getEntriesByName(n)[0] || {}).startTime; \
            const ready = at('disk-console:taken-over') ?? at('disk-console:disks-shown'); \
            const paint = at('first-contentful-paint'); \
            if (ready === undefined || paint === undefined) return Date.now() - t0 < 30000 ? setTimeout(look, 10) : done(null); \
            done({paint, ready, rendered: at('disk-console:taken-over') !== undefined, \
              resources: performance.getEntriesByType('resource').map(e => \
              [new URL(e.name).pathname, e.startTime, e.encodedBodySize, e.renderBlockingStatus === 'blocking'])}); }; look();";
        let v = self.client.execute_async(script, vec![]).await?;
        let num =
            |k: &str| v[k].as_f64().ok_or_else(|| format!("the disk list was not shown within 30 s: {v}"));
        let resources = v["resources"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .map(|r| Resource {
                        path: r[0].as_str().unwrap_or("").to_owned(),
                        start_ms: r[1].as_f64().unwrap_or(0.0),
                        encoded: r[2].as_u64().unwrap_or(0),
                        blocking: r[3].as_bool().unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(FirstLoad {
            painted_ms: num("paint")?,
            console_ms: num("ready")?,
            rendered_by_server: v["rendered"].as_bool().unwrap_or(false),
            resources,
        })
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`) and gives its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let body = json!({"cmd": cmd, "params": params});
        Ok(self.client.issue_cmd(Chromedriver { path: "goog/cdp/execute", body }).await?)
    }

    /// From the next navigation on, records the page's uncaught errors, rejected promises and console errors
    /// (read with [`Browser::page_errors`]).
    pub async fn watch_errors(&self) -> Result {
        let source = "window.__pageErrors = []; \
            addEventListener('error', e => __pageErrors.push('error: ' + e.message)); \
            addEventListener('unhandledrejection', e => __pageErrors.push('rejection: ' + e.reason)); \
            const ce = console.error; console.error = (...a) => { __pageErrors.push('console: ' + a.join(' ')); ce(...a); };";
        self.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await?;
        Ok(())
    }

    /// What [`Browser::watch_errors`] recorded on this page.
    pub async fn page_errors(&self) -> Result<Vec<String>> {
        let v = self.js("return window.__pageErrors || []").await?;
        Ok(v.as_array().into_iter().flatten().filter_map(|e| e.as_str().map(str::to_owned)).collect())
    }

    /// Makes the page believe it is hidden (or shown again), as a browser does when the tab is switched.
    pub async fn set_hidden(&self, hidden: bool) -> Result {
        self.client
            .execute(
                "Object.defineProperty(document, 'hidden', {configurable: true, get: () => arguments[0]}); \
                 document.dispatchEvent(new Event('visibilitychange', {bubbles: true})); return 1",
                vec![Value::from(hidden)],
            )
            .await?;
        Ok(())
    }

    /// The button with this accessible (visible) name.
    pub async fn button(&self, name: &str) -> Result<Element> {
        self.find(&format!("//button[normalize-space()={}]", xpath_str(name))).await
    }

    /// The form control labelled `label` (a `<label for>` or a wrapping `<label>`).
    pub async fn field(&self, label: &str) -> Result<Element> {
        let l = xpath_str(label);
        self.find(&format!(
            "//*[@id=//label[normalize-space()={l}]/@for] | //label[normalize-space(text())={l} or normalize-space(span)={l}]//*[self::input or self::select or self::textarea]"
        ))
        .await
    }

    /// The texts of the row headers (the first cell) of the table's body rows.
    pub async fn row_names(&self) -> Result<Vec<String>> {
        let v = self
            .client
            .execute(
                "return [...document.querySelectorAll('table tbody tr')].map(r => (r.querySelector('th') || r.cells[0]).innerText)",
                vec![],
            )
            .await?;
        Ok(v.as_array().into_iter().flatten().map(|s| s.as_str().unwrap_or_default().to_owned()).collect())
    }

    /// The visible text of the whole page.
    pub async fn text(&self) -> Result<String> {
        let v = self.client.execute("return document.body.innerText", vec![]).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Waits (up to 10 s) for an element matching the XPath.
    pub async fn find(&self, xpath: &str) -> Result<Element> {
        match eventually(|| async { Ok(self.client.find(Locator::XPath(xpath)).await?) }).await {
            Ok(el) => Ok(el),
            Err(e) => {
                let shot = std::env::temp_dir().join(format!("dc-e2e-failure-{}.png", std::process::id()));
                let _ = self.screenshot(&shot).await;
                let text = self.text().await.unwrap_or_default();
                let at = self.location().await.unwrap_or_default();
                Err(format!(
                    "no element {xpath}: {e}\n  at {at}, screenshot {}\n  page text: {text}",
                    shot.display()
                )
                .into())
            }
        }
    }

    /// Saves a PNG screenshot.
    pub async fn screenshot(&self, path: &std::path::Path) -> Result {
        let png = self.client.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }
}

/// The XPath of the table row whose header cell mentions `text`.
pub fn row(text: &str) -> String {
    format!("//tr[th[contains(normalize-space(), {})]]", xpath_str(text))
}

/// WebDriver key codes.
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const SHIFT: &str = "\u{E008}";
}

/// XPath string literal for any text.
pub fn xpath_str(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("concat('{}')", s.replace('\'', "', \"'\", '"))
    }
}

/// Retries `f` until it succeeds or 10 s pass; returns its last error.
pub async fn eventually<T, F, Fut>(f: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    eventually_within(Duration::from_secs(10), f).await
}

/// Retries `f` until it succeeds or `limit` passes; returns its last error.
pub async fn eventually_within<T, F, Fut>(limit: Duration, mut f: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e) if Instant::now() > deadline => return Err(e),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// Fails with a message unless `cond` holds.
/// A database file for a test's emulated region (`--db`), so the region survives a server restart.
pub fn temp_db(test: &str, name: &str) -> String {
    std::env::temp_dir()
        .join(format!("dc-e2e-{test}-{}-{name}.sqlite3", std::process::id()))
        .to_string_lossy()
        .into_owned()
}

/// Removes a [`temp_db`] and SQLite's side files.
pub fn remove_db(db: &str) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
}

pub fn ensure(cond: bool, what: impl Into<String>) -> Result {
    if cond {
        Ok(())
    } else {
        Err(what.into().into())
    }
}

/// A chromedriver extension command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// How a page of the console loaded.
pub struct FirstLoad {
    /// The page's first contentful paint (ms from navigation start).
    pub painted_ms: f64,
    /// When the console's own view was on screen: it took over the first view disk-server rendered
    /// (`disk-console:taken-over`), or, without one, it showed its disk list (`disk-console:disks-shown`).
    pub console_ms: f64,
    /// Whether disk-server rendered the first view into the page.
    pub rendered_by_server: bool,
    /// Everything the page fetched after the document.
    pub resources: Vec<Resource>,
}

/// One fetch of the page, from resource timing.
pub struct Resource {
    pub path: String,
    pub start_ms: f64,
    pub encoded: u64,
    /// The browser held the first paint back for it (a style sheet, a blocking script).
    pub blocking: bool,
}
