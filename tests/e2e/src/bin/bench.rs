//! `cargo xtask bench` runs this after measuring the transfer size: first render against a static page,
//! the request cost of live status, DOM work per status change, API throughput against a static file, and
//! how first render scales with the number of disks, what the signing gateway adds, 200 simulated consoles
//! and the quota edge, and a kill -9 in the middle of creates. Ratios, not absolute times: these machines are noisy.
//! It starts its own servers on free loopback ports and stops everything it starts.

use e2e::{Browser, Result, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The ratios of loads made one after the other (`a[i] / b[i]`): the median and the quartiles. The machine's
/// speed drifts over minutes, so a ratio of neighbours varies less than a ratio of two medians.
fn paired_ratio(a: &[f64], b: &[f64]) -> Value {
    let mut r: Vec<f64> = a.iter().zip(b).map(|(a, b)| a / b).collect();
    r.sort_by(|a, b| a.total_cmp(b));
    json!({"median": percentile(&r, 0.5), "q1": percentile(&r, 0.25), "q3": percentile(&r, 0.75), "pairs": r.len()})
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A copy of dist/ in a temporary folder, to add the static reference pages to.
fn dist_copy() -> Result<PathBuf> {
    let from = PathBuf::from(std::env::var("DISK_CONSOLE_DIST").unwrap_or_else(|_| "dist".into()));
    let to = std::env::temp_dir().join(format!("dc-bench-dist-{}", std::process::id()));
    copy_dir(&from, &to)?;
    Ok(to)
}

/// `from` into `to`, subfolders too (wasm-bindgen's `snippets/`).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()))?;
        } else {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The stylesheet links of the console's page as served (`<link rel="stylesheet" …>`, in order).
fn stylesheets(page: &str) -> String {
    page.match_indices("<link rel=\"stylesheet\"")
        .filter_map(|(at, _)| page[at..].find('>').map(|end| &page[at..=at + end]))
        .collect()
}

/// `page` without every element that starts with one of `starts` (up to its `</script>` for a script, its
/// `>` otherwise); an error when there is none of the first kind.
fn without_elements(page: &str, starts: &[&str]) -> Result<String> {
    let mut out = page.to_owned();
    for (i, start) in starts.iter().enumerate() {
        let end = if start.starts_with("<script") { "</script>" } else { ">" };
        let mut found = false;
        while let Some(at) = out.find(start) {
            let len = out[at..].find(end).ok_or("an element without its end")? + end.len();
            out.replace_range(at..at + len, "");
            found = true;
        }
        if i == 0 && !found {
            return Err(format!("the served page has no {start}").into());
        }
    }
    Ok(out)
}

/// A static page around `body`, with the console's stylesheets.
fn static_page(dist: &Path, file: &str, css: &str, body: &str) -> Result<String> {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>static</title>{css}</head><body>{body}</body></html>"
    );
    std::fs::write(dist.join(file), html)?;
    Ok(format!("/{file}"))
}

/// The same 100 rows as a plain static table: the API's values in plain cells, outside the console's frame
/// (so few of its styles apply): the reference the first benchmarks used.
fn plain_table(dist: &Path, css: &str, disks: &[Value]) -> Result<String> {
    let rows: String = disks
        .iter()
        .map(|d| {
            format!(
                "<tr><th scope=\"row\"><span class=\"dc-name\">{}</span><span class=\"dc-id\">{}</span></th><td>{}</td><td>{}</td><td>{} GiB</td><td>{}</td><td>{}</td><td>{}</td><td><button>Create Snapshot</button></td></tr>",
                escape(d["name"].as_str().unwrap_or("")),
                d["diskId"].as_str().unwrap_or(""),
                d["status"].as_str().unwrap_or(""),
                d["diskType"].as_str().unwrap_or(""),
                d["diskSizeGB"],
                d["az"].as_str().unwrap_or(""),
                d["attachments"][0]["instanceId"].as_str().unwrap_or("—"),
                d["createTime"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let body = format!(
        "<main class=\"dc-main\"><table class=\"dc-table\"><thead><tr><th>Name</th><th>Status</th><th>Type</th><th>Capacity</th><th>AZ</th><th>Attached instance</th><th>Created</th><th>Actions</th></tr></thead><tbody>{rows}</tbody></table></main>"
    );
    static_page(dist, "static-plain-100.html", css, &body)
}

/// The same table as the console shows it, as a static page: its table element exactly as in the page it
/// serves (the first view, which the e2e tests prove is the markup the console builds: formatted cells,
/// badges, links, its buttons), in the console's stylesheets and frame (`.dc-app`, `.dc-main`, the table's
/// card), without what is around the table (header, search, quota, pager) and without scripts.
fn same_table(dist: &Path, css: &str, served: &str) -> Result<String> {
    let table = served
        .find("<table class=\"dc-table\">")
        .and_then(|at| served[at..].find("</table>").map(|end| &served[at..at + end + "</table>".len()]))
        .ok_or("the served page has no first view's table")?;
    let body = format!(
        "<div id=\"disk-console\"><div class=\"dc-app\" data-theme=\"auto\" lang=\"en\"><main class=\"dc-main\"><div class=\"dc-table-wrap\">{table}</div></main></div></div>"
    );
    static_page(dist, "static-100.html", css, &body)
}

/// Milliseconds from navigation until the page's table has `rows` body rows.
/// An empty page, and a moment for the last one's teardown (a page that ran the console frees more than a
/// static one): with no page load strategy a navigation returns at once, and the next one would otherwise
/// start while the previous page is still being torn down, charging that to whichever page comes next.
async fn blank(b: &Browser) -> Result {
    b.goto_now("about:blank").await?;
    let t0 = Instant::now();
    while b.js("return location.href + ' ' + document.readyState").await? != "about:blank complete" {
        if t0.elapsed() > Duration::from_secs(10) {
            return Err("about:blank never loaded".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

async fn time_to_rows(b: &Browser, url: &str, rows: usize) -> Result<f64> {
    blank(b).await?;
    let t0 = Instant::now();
    b.goto_now(url).await?;
    loop {
        let n =
            b.js("return document.querySelectorAll('tbody tr').length").await?.as_u64().unwrap_or(0) as usize;
        if n >= rows {
            return Ok(t0.elapsed().as_secs_f64() * 1000.0);
        }
        if t0.elapsed() > Duration::from_secs(30) {
            return Err(format!("{url} never showed {rows} rows").into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// In-page times of the page just loaded, from its navigation start (no WebDriver round trips in them): for
/// the app its User Timing marks, for the static page its first contentful paint (the table is in the HTML).
async fn in_page(b: &Browser) -> Result<Value> {
    let script = "const done = arguments[0]; const t0 = Date.now(); const look = () => { \
        const m = n => (performance.getEntriesByName('disk-console:' + n)[0] || {}).startTime; \
        const fcp = (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime; \
        const nav = performance.getEntriesByType('navigation')[0]; \
        const v = {start: m('start'), mounted: m('mounted'), shown: m('disks-shown'), taken: m('taken-over'), fcp, dcl: nav.domContentLoadedEventEnd}; \
        if ((v.shown === undefined && v.start !== undefined) || (v.taken === undefined && document.querySelector('[data-prerendered]')) || v.fcp === undefined) { \
          if (Date.now() - t0 < 5000) return setTimeout(look, 5); } \
        done(v); }; look();";
    Ok(b.client.execute_async(script, vec![]).await?)
}

/// The page loaded again with nothing from WebDriver while it loads (a poll is a script run in the page, and
/// competes with its parsing and paint), then its in-page times.
async fn quiet_load(b: &Browser, url: &str) -> Result<Value> {
    blank(b).await?;
    b.goto_now(url).await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    in_page(b).await
}

async fn first_render(b: &Browser, server: &Server, dist: &Path, runs: usize) -> Result<Value> {
    time_to_rows(b, &server.url("/disks?region=cn-north-1"), 1).await?;
    let page = b.api("/v1/regions/cn-north-1/disks?pageSize=100").await?;
    let disks = page["result"]["disks"].as_array().cloned().unwrap_or_default();
    let app_url = server.url("/disks?region=cn-north-1&pageSize=100");
    // The console's page as served (its first view in it), for the references built from it.
    let script = "fetch(arguments[0]).then(r => r.text()).then(arguments[1])";
    let served = b.client.execute_async(script, vec![json!(app_url)]);
    let served = served.await?.as_str().unwrap_or_default().to_owned();
    let css = stylesheets(&served);
    let static_url = server.url(&same_table(dist, &css, &served)?);
    let plain_url = server.url(&plain_table(dist, &css, &disks)?);
    // A reference: the console's page as served, its scripts taken out (what its markup alone costs): the
    // module script that starts it and the preloads of its code.
    let bare = without_elements(
        &served,
        &["<script type=\"module\">", "<link rel=\"modulepreload\"", "<link rel=\"preload\""],
    )?;
    std::fs::write(dist.join("static-app-page.html"), bare)?;
    let bare_url = server.url("/static-app-page.html");
    // Warm each once (caches), then alternate.
    for url in [&app_url, &static_url, &plain_url, &bare_url] {
        time_to_rows(b, url, 100).await?;
    }
    let (mut app, mut stat, mut plain) = (Vec::new(), Vec::new(), Vec::new());
    let (mut start, mut mounted, mut shown, mut console) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut painted, mut plain_painted, mut bare_painted) = (Vec::new(), Vec::new(), Vec::new());
    let num = |v: &Value, k: &str| v[k].as_f64().ok_or_else(|| format!("no {k} in {v}"));
    for _ in 0..runs {
        app.push(time_to_rows(b, &app_url, 100).await?);
        let phases = quiet_load(b, &app_url).await?;
        start.push(num(&phases, "start")?);
        mounted.push(num(&phases, "mounted")?);
        // With the first view rendered by disk-server the rows are painted with the page's first paint; the
        // console's own view replaces it later (taken over).
        match phases["taken"].as_f64() {
            Some(taken) => {
                shown.push(num(&phases, "fcp")?);
                console.push(taken);
            }
            None => {
                shown.push(num(&phases, "shown")?);
                console.push(num(&phases, "shown")?);
            }
        }
        stat.push(time_to_rows(b, &static_url, 100).await?);
        painted.push(num(&quiet_load(b, &static_url).await?, "fcp")?);
        plain.push(time_to_rows(b, &plain_url, 100).await?);
        plain_painted.push(num(&quiet_load(b, &plain_url).await?, "fcp")?);
        bare_painted.push(num(&quiet_load(b, &bare_url).await?, "fcp")?);
    }
    let (paired, plain_paired) = (paired_ratio(&app, &stat), paired_ratio(&app, &plain));
    let (in_page_paired, in_page_plain_paired) =
        (paired_ratio(&shown, &painted), paired_ratio(&shown, &plain_painted));
    let (a, s, p) = (median(app), median(stat), median(plain));
    let (shown, painted, plain_painted) = (median(shown), median(painted), median(plain_painted));
    Ok(json!({"app_ms": a, "static_ms": s, "ratio": a / s, "target_ratio": 1.3, "runs": runs,
        "reference": "the same table as the console shows it (its markup and stylesheets), as a static page",
        "paired_ratio": paired,
        "plain_static_ms": p, "plain_ratio": a / p, "plain_paired_ratio": plain_paired,
        "in_page": {
            "note": "from navigation start, read in the page after a load WebDriver left alone: the app's User Timing marks, the static pages' first contentful paint",
            "app_code_starts_ms": median(start), "app_mounted_ms": median(mounted), "app_rows_shown_ms": shown,
            "app_console_view_ms": median(console),
            "static_rows_painted_ms": painted, "ratio": shown / painted, "paired_ratio": in_page_paired,
            "plain_rows_painted_ms": plain_painted, "plain_ratio": shown / plain_painted,
            "plain_paired_ratio": in_page_plain_paired,
            "app_page_without_scripts_painted_ms": median(bare_painted)}}))
}

/// gzip -9 and brotli-11 sizes of a file.
fn compressed(path: &Path) -> Result<(u64, u64)> {
    let gz = std::process::Command::new("gzip").args(["-9", "-n", "-c"]).arg(path).output()?.stdout.len();
    let bytes = std::fs::read(path)?;
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)?;
    Ok((gz as u64, br.len() as u64))
}

/// The console's files: what a browser may fetch of dist/ (wasm, js, css, html; not the host pages'
/// embed.js nor the benchmark's own static page).
fn app_files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) -> Result {
    for e in std::fs::read_dir(dir)?.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            app_files(&path, base, out)?;
        } else if [".wasm", ".js", ".css", ".html"].iter().any(|x| name.ends_with(x))
            && name != "embed.js"
            && !name.starts_with("static-")
        {
            out.push(path.strip_prefix(base)?.to_path_buf());
        }
    }
    Ok(())
}

/// What a first visit (empty cache) fetches before the disk list is on screen, by the browser's resource
/// timing: the console's files (sized as gzip -9 and brotli 11), the API's answers (bytes as received),
/// and what the console fetched after (the split modules, preloaded while idle); the whole app beside it.
async fn first_route(dist: &Path) -> Result<Value> {
    let server = Server::start(&["--dist", dist.to_str().unwrap()]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let load = b.first_load().await?;
    // The document as served: with the first view disk-server rendered into it and that view's answers.
    let page =
        b.client.execute_async("fetch(location.href).then(r => r.text()).then(arguments[0])", vec![]).await?;
    let page_file = std::env::temp_dir().join(format!("dc-bench-page-{}.html", std::process::id()));
    std::fs::write(&page_file, page.as_str().unwrap_or_default())?;
    let (page_gz, page_br) = compressed(&page_file)?;
    let _ = std::fs::remove_file(&page_file);
    // The idle preload starts 1.5 s after start: wait for it, to list what came after.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let resources = b.first_load().await?.resources;
    b.close().await;
    server.stop().await;

    // Before the list is on screen: the document and what held its first paint back. Before the console
    // runs its own view: everything it fetched until then.
    let page =
        json!({"file": "the page (index.html with the first view)", "gzip": page_gz, "brotli": page_br});
    let (mut shown, mut console) = ((page_gz, page_br, vec![page.clone()]), (page_gz, page_br, vec![page]));
    let (mut api_bytes, mut api, mut later) = (0, Vec::new(), Vec::new());
    for r in &resources {
        let rel = r.path.trim_start_matches('/');
        let file = dist.join(rel);
        if r.start_ms > load.console_ms {
            later.push(json!(rel));
        } else if file.is_file() {
            let (g, br) = compressed(&file)?;
            let entry = json!({"file": rel, "gzip": g, "brotli": br});
            if r.blocking {
                shown = (shown.0 + g, shown.1 + br, [shown.2, vec![entry.clone()]].concat());
            }
            console = (console.0 + g, console.1 + br, [console.2, vec![entry]].concat());
        } else {
            api_bytes += r.encoded;
            api.push(json!(rel));
        }
    }
    let mut all = Vec::new();
    app_files(dist, dist, &mut all)?;
    let (mut all_gz, mut all_br) = (0, 0);
    for f in &all {
        let (g, b) = compressed(&dist.join(f))?;
        all_gz += g;
        all_br += b;
    }
    Ok(json!({"gzip": shown.0, "brotli": shown.1, "budget_gzip": 150 * 1024, "files": shown.2,
        "list_painted_ms": load.painted_ms, "rendered_by_server": load.rendered_by_server,
        "until_console": {"gzip": console.0, "brotli": console.1, "files": console.2, "at_ms": load.console_ms},
        "api_requests": api, "api_bytes": api_bytes, "fetched_after": later,
        "whole_app": {"files": all.len(), "gzip": all_gz, "brotli": all_br}}))
}

const DISK_LINK: &str = "//table//tbody//tr[1]//th//a";
const CREATE_BUTTON: &str = "//table//tbody//tr[.//td[normalize-space()='Available' or normalize-space()='In use']][1]//button[normalize-space()='Create Snapshot']";

/// On a fresh browser: the disk list, `wait_secs`, then milliseconds from a click on `click` until
/// `content` is there.
async fn timed_click(server: &Server, wait_secs: u64, click: &str, content: &str) -> Result<f64> {
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.first_load().await?;
    tokio::time::sleep(Duration::from_secs(wait_secs)).await;
    let t = Instant::now();
    b.find(click).await?.click().await?;
    b.find(content).await?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    b.close().await;
    Ok(ms)
}

/// After the list: a click on a disk's name until its detail page shows its Actions, and a click on the
/// list's Create Snapshot until the dialog is open; once at once (the split module not fetched yet) and
/// once after the idle preload. Each on a fresh browser, 5 runs, medians.
async fn click_to_content(dist: &Path) -> Result<Value> {
    let server = Server::start(&["--dist", dist.to_str().unwrap()]).await?;
    let mut out = json!({});
    for (label, wait) in [("at_once", 0u64), ("after_preload", 4)] {
        let (mut detail, mut dialog) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            detail.push(
                timed_click(&server, wait, DISK_LINK, "//main//button[normalize-space()='Actions']").await?,
            );
            dialog.push(timed_click(&server, wait, CREATE_BUTTON, "//*[@role='dialog']//input").await?);
        }
        out[label] = json!({"disk_detail_ms": median(detail), "create_dialog_ms": median(dialog)});
    }
    server.stop().await;
    Ok(out)
}

async fn counts(b: &Browser) -> Result<u64> {
    Ok(b.api("/_emulator/requests").await?["describeSnapshots"].as_u64().unwrap_or(0))
}

async fn post_snapshots(b: &Browser, disk: &str, n: usize, prefix: &str) -> Result {
    b.client
        .execute_async(
            "const [disk, n, prefix, done] = arguments; const all = []; \
             for (let i = 0; i < n; i++) all.push(fetch('/v1/regions/cn-north-1/snapshots', {method: 'POST', \
               headers: {'content-type': 'application/json'}, \
               body: JSON.stringify({clientToken: prefix + i, snapshotSpec: {name: prefix + i, diskId: disk}})})); \
             Promise.all(all).then(() => done(1))",
            vec![json!(disk), json!(n), json!(prefix)],
        )
        .await?;
    Ok(())
}

async fn request_cost() -> Result<Value> {
    let window = Duration::from_secs(20);
    let mut out = serde_json::Map::new();
    for pending in [0usize, 1, 10, 100] {
        let server = Server::start(&[
            "--snapshot-gib-per-sec",
            "0.01",
            "--snapshot-quota",
            "1000",
            "--demo-disks",
            "20",
        ])
        .await?;
        let b = Browser::start().await?;
        b.goto(&server.url("/disks?region=cn-north-1")).await?;
        let disks =
            b.api("/v1/regions/cn-north-1/disks?filters.1.name=status&filters.1.values.1=available").await?;
        let disk = disks["result"]["disks"][0]["diskId"].as_str().unwrap_or("").to_owned();
        post_snapshots(&b, &disk, pending, "p").await?;
        b.goto(&server.url("/snapshots?region=cn-north-1&pageSize=100")).await?;
        if pending > 0 {
            b.find("//tbody/tr").await?;
        } else {
            b.sees("No snapshots").await?;
        }
        let start = counts(&b).await?;
        tokio::time::sleep(window).await;
        let per_min = (counts(&b).await? - start) as f64 * 60.0 / window.as_secs_f64();
        out.insert(format!("pending_{pending}_per_min"), json!(per_min));
        if pending == 10 {
            b.set_hidden(true).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let start = counts(&b).await?;
            tokio::time::sleep(Duration::from_secs(10)).await;
            out.insert("hidden_10_pending_per_min".into(), json!((counts(&b).await? - start) as f64 * 6.0));
        }
        b.close().await;
        server.stop().await;
    }
    out.insert(
        "note".into(),
        json!("describeSnapshots per minute, counted at the server; one per tick is the target"),
    );
    Ok(Value::Object(out))
}

async fn dom_work() -> Result<Value> {
    let server = Server::start(&[
        "--snapshot-gib-per-sec",
        "10",
        "--snapshot-min-seconds",
        "4",
        "--snapshot-quota",
        "1000",
    ])
    .await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disks = b.api("/v1/regions/cn-north-1/disks?pageSize=100").await?;
    let mut sized: Vec<(u64, String)> = disks["result"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "available" || d["status"] == "in-use")
        .map(|d| (d["diskSizeGB"].as_u64().unwrap_or(0), d["diskId"].as_str().unwrap_or("").to_owned()))
        .collect();
    sized.sort();
    post_snapshots(&b, &sized.last().unwrap().1, 99, "slow").await?;
    post_snapshots(&b, &sized[0].1, 1, "quick").await?;
    b.goto(&server.url("/snapshots?region=cn-north-1&pageSize=100")).await?;
    b.find("//tbody/tr[100]").await?;
    let v = b
        .client
        .execute_async(
            "const done = arguments[0]; \
             const row = [...document.querySelectorAll('tbody tr')].find(r => r.innerText.includes('quick0')); \
             const inRow = new Set(), outRow = new Set(); \
             const obs = new MutationObserver(ms => ms.forEach(m => { \
               const nodes = [m.target, ...m.addedNodes, ...m.removedNodes]; \
               nodes.forEach(n => (row.contains(n) ? inRow : outRow).add(n)); })); \
             obs.observe(document.querySelector('tbody'), {subtree: true, childList: true, characterData: true, attributes: true}); \
             const t = setInterval(() => { if (row.innerText.includes('Available')) { \
               setTimeout(() => { obs.disconnect(); clearInterval(t); \
                 done({row_nodes: inRow.size, other_nodes: outRow.size, same_row: document.body.contains(row)}); }, 50); } }, 20);",
            vec![],
        )
        .await?;
    b.close().await;
    server.stop().await;
    Ok(json!({
        "nodes_changed_in_that_row": v["row_nodes"],
        "nodes_changed_elsewhere_meanwhile": v["other_nodes"],
        "row_kept": v["same_row"],
        "note": "from the status poll until the row shows Available; 'elsewhere' are the elapsed-time counters of the other 99 creating rows ticking in the same interval",
    }))
}

/// Reads one HTTP/1.1 response (Content-Length or chunked) and returns the body's length.
async fn read_response(r: &mut BufReader<tokio::net::TcpStream>) -> Result<usize> {
    let (mut len, mut chunked) = (0usize, false);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Err("connection closed".into());
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if !chunked {
        let mut body = vec![0u8; len];
        r.read_exact(&mut body).await?;
        return Ok(len);
    }
    let mut total = 0;
    loop {
        let mut size = String::new();
        r.read_line(&mut size).await?;
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let mut chunk = vec![0u8; n + 2];
        r.read_exact(&mut chunk).await?;
        total += n;
        if n == 0 {
            return Ok(total);
        }
    }
}

/// A bounded load: `conns` keep-alive connections, each sending GETs for `secs` seconds (at most 50,000 in all).
async fn load(addr: &str, path: &str, conns: usize, secs: u64) -> Result<Value> {
    load_raw(addr, &format!("GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n"), conns, secs).await
}

/// The same with a whole request (line and headers) sent as it is.
async fn load_raw(addr: &str, request: &str, conns: usize, secs: u64) -> Result<Value> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (addr, req) = (addr.to_owned(), request.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let Ok(stream) = tokio::net::TcpStream::connect(&addr).await else { return lat };
            let mut r = BufReader::new(stream);
            while Instant::now() < deadline && lat.len() < 50_000 / 8 {
                let t = Instant::now();
                if r.get_mut().write_all(req.as_bytes()).await.is_err() {
                    break;
                }
                if read_response(&mut r).await.is_err() {
                    break;
                }
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await?);
    }
    all.sort_by(|a, b| a.total_cmp(b));
    if all.is_empty() {
        return Err(format!("no answers to {}", request.lines().next().unwrap_or("")).into());
    }
    // Over the time taken: a run that reaches the request cap ends before the deadline.
    let took = started.elapsed().as_secs_f64();
    Ok(json!({
        "requests": all.len(),
        "rps": all.len() as f64 / took,
        "p50_ms": percentile(&all, 0.5),
        "p99_ms": percentile(&all, 0.99),
    }))
}

async fn throughput(dist: &Path) -> Result<Value> {
    let server = Server::start(&["--snapshot-quota", "1000", "--dist", dist.to_str().unwrap()]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks")).await?;
    let disks =
        b.api("/v1/regions/cn-north-1/disks?filters.1.name=status&filters.1.values.1=available").await?;
    let disk = disks["result"]["disks"][0]["diskId"].as_str().unwrap_or("").to_owned();
    post_snapshots(&b, &disk, 20, "t").await?;
    b.close().await;
    let addr = server.addr().to_owned();
    let mut out = serde_json::Map::new();
    for (name, path) in [
        ("describeDisks", "/v1/regions/cn-north-1/disks?pageSize=20"),
        ("describeSnapshots", "/v1/regions/cn-north-1/snapshots?pageSize=20"),
    ] {
        // A static file of the same size, served by the same server.
        let size = load_body_size(&addr, path).await?;
        let file = format!("same-size-{name}.json");
        std::fs::write(dist.join(&file), vec![b' '; size])?;
        let api = load(&addr, path, 8, 3).await?;
        let stat = load(&addr, &format!("/{file}"), 8, 3).await?;
        let ratio = api["rps"].as_f64().unwrap_or(0.0) / stat["rps"].as_f64().unwrap_or(1.0);
        out.insert(
            name.into(),
            json!({"api": api, "static_same_size": stat, "ratio": ratio, "target_ratio": 0.5}),
        );
    }
    server.stop().await;
    Ok(Value::Object(out))
}

/// What the signing gateway adds over calling the signature-checking emulator directly (with a request
/// signed as an SDK signs it): latency on one connection, throughput on eight.
async fn gateway_overhead() -> Result<Value> {
    let keys =
        [("JDCLOUD_ACCESS_KEY_ID", "AKBENCH0000000001"), ("JDCLOUD_ACCESS_KEY_SECRET", "bench-secret")];
    let cloud = Server::start_with_env("127.0.0.1:0", &["--verify-signatures"], &keys).await?;
    let endpoint = cloud.base.clone();
    let gw = Server::start_with_env(
        "127.0.0.1:0",
        &["--backend", "jdcloud", "--jdcloud-endpoint", &endpoint],
        &keys,
    )
    .await?;
    let (path, query) = ("/v1/regions/cn-north-1/disks", "pageNumber=1&pageSize=20");
    let creds = disk_server::credentials::Credentials::new(keys[0].1, keys[1].1, None);
    let now = disk_server::clock::Clock::now_ms(&disk_server::clock::SystemClock);
    let s = disk_server::sign::sign_for_gateway(
        &creds,
        "GET",
        cloud.addr(),
        path,
        query,
        "application/json",
        b"",
        "cn-north-1",
        "disk",
        now,
        "bench-nonce",
    );
    let headers: String = s.headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let direct_req = format!(
        "GET {}?{} HTTP/1.1\r\nHost: {}\r\ncontent-type: application/json\r\n{headers}\r\n",
        s.path,
        s.query,
        cloud.addr()
    );
    let via = format!("{path}?{query}");
    // Warm both (connection pools, SQLite pages), then measure, alternating.
    load_raw(cloud.addr(), &direct_req, 1, 1).await?;
    load(gw.addr(), &via, 1, 1).await?;
    let direct_1 = load_raw(cloud.addr(), &direct_req, 1, 3).await?;
    let gateway_1 = load(gw.addr(), &via, 1, 3).await?;
    let direct_8 = load_raw(cloud.addr(), &direct_req, 8, 3).await?;
    let gateway_8 = load(gw.addr(), &via, 8, 3).await?;
    let f = |v: &Value, k: &str| v[k].as_f64().unwrap_or(0.0);
    let added_p50 = f(&gateway_1, "p50_ms") - f(&direct_1, "p50_ms");
    let ratio = f(&gateway_8, "rps") / f(&direct_8, "rps").max(1.0);
    gw.stop().await;
    cloud.stop().await;
    Ok(json!({
        "operation": "describeDisks (page of 20), signature checked",
        "one_connection": {"direct": direct_1, "gateway": gateway_1, "added_p50_ms": added_p50, "target_added_p50_ms": 1.0},
        "eight_connections": {"direct": direct_8, "gateway": gateway_8, "rps_ratio": ratio, "target_ratio": 0.8},
    }))
}

async fn load_body_size(addr: &str, path: &str) -> Result<usize> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n").as_bytes())
        .await?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).await?;
    let text = String::from_utf8_lossy(&reply);
    Ok(text.split("\r\n\r\n").nth(1).map(str::len).unwrap_or(0))
}

async fn scaling(dist: &Path) -> Result<Value> {
    let mut out = serde_json::Map::new();
    for n in [10usize, 100, 1000, 10_000] {
        let server =
            Server::start(&["--demo-disks", &n.to_string(), "--dist", dist.to_str().unwrap()]).await?;
        let b = Browser::start().await?;
        let url = server.url("/disks?region=cn-north-1&pageSize=100");
        time_to_rows(&b, &url, n.min(100)).await?;
        let mut t = Vec::new();
        for _ in 0..5 {
            t.push(time_to_rows(&b, &url, n.min(100)).await?);
        }
        let addr = server.addr().to_owned();
        b.close().await;
        let api = load(&addr, "/v1/regions/cn-north-1/disks?pageSize=100", 4, 2).await?;
        out.insert(
            format!("disks_{n}"),
            json!({"first_render_ms": median(t), "describeDisks_page_p50_ms": api["p50_ms"], "idle_requests_per_min": 0}),
        );
        server.stop().await;
    }
    Ok(Value::Object(out))
}

/// One request on its own connection: the status and the JSON body.
async fn http(addr: &str, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value)> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await?;
    s.write_all(body.as_bytes()).await?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).await?;
    let text = String::from_utf8_lossy(&reply);
    let (head, rest) = text.split_once("\r\n\r\n").ok_or("no answer")?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let json = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = rest;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 || tail.len() < n {
                break;
            }
            out.push_str(&tail[..n]);
            rest = tail[n..].trim_start_matches("\r\n");
        }
        serde_json::from_str(&out).unwrap_or(Value::Null)
    } else {
        serde_json::from_str(rest).unwrap_or(Value::Null)
    };
    Ok((status, json))
}

fn create_body(token: &str, disk: &str) -> Value {
    json!({"clientToken": token, "snapshotSpec": {"name": token, "diskId": disk}})
}

async fn free_disk(addr: &str) -> Result<String> {
    let (_, v) = http(
        addr,
        "GET",
        "/v1/regions/cn-north-1/disks?filters.1.name=status&filters.1.values.1=available",
        None,
    )
    .await?;
    Ok(v["result"]["disks"][0]["diskId"].as_str().ok_or("no available disk")?.to_owned())
}

fn summary(mut ms: Vec<f64>) -> Value {
    ms.sort_by(|a, b| a.total_cmp(b));
    if ms.is_empty() {
        return json!({"requests": 0});
    }
    json!({"requests": ms.len(), "p50_ms": percentile(&ms, 0.5), "p99_ms": percentile(&ms, 0.99)})
}

/// 200 simulated consoles on one emulated region for 20 s: each creates a snapshot, then polls for it as
/// the watcher does (one describeSnapshots by snapshotId every 2 s); then 20 concurrent creates at the quota
/// edge, five times: exactly one may succeed each time.
async fn load_consoles() -> Result<Value> {
    let server = Server::start(&[
        "--snapshot-quota",
        "100000",
        "--snapshot-gib-per-sec",
        "2",
        "--snapshot-min-seconds",
        "5",
    ])
    .await?;
    let addr = server.addr().to_owned();
    let disk = free_disk(&addr).await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut tasks = Vec::new();
    for c in 0..200 {
        let (addr, disk) = (addr.clone(), disk.clone());
        tasks.push(tokio::spawn(async move {
            let (mut creates, mut polls, mut errors, mut server_errors) = (Vec::new(), Vec::new(), 0u32, 0u32);
            let t = Instant::now();
            let id = match http(&addr, "POST", "/v1/regions/cn-north-1/snapshots", Some(&create_body(&format!("load-{c}"), &disk))).await {
                Ok((200, v)) => v["result"]["snapshotId"].as_str().unwrap_or("").to_owned(),
                Ok((s, _)) => {
                    errors += 1;
                    server_errors += u32::from(s >= 500);
                    String::new()
                }
                Err(_) => {
                    errors += 1;
                    String::new()
                }
            };
            creates.push(t.elapsed().as_secs_f64() * 1000.0);
            // Spread the consoles over the tick, as real ones are.
            tokio::time::sleep(Duration::from_millis(10 * (c as u64 % 200))).await;
            while Instant::now() < deadline && polls.len() < 20 {
                let t = Instant::now();
                let path = format!("/v1/regions/cn-north-1/snapshots?filters.1.name=snapshotId&filters.1.values.1={id}&pageSize=100");
                match http(&addr, "GET", &path, None).await {
                    Ok((200, _)) => {}
                    Ok((s, _)) => {
                        errors += 1;
                        server_errors += u32::from(s >= 500);
                    }
                    Err(_) => errors += 1,
                }
                polls.push(t.elapsed().as_secs_f64() * 1000.0);
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            (creates, polls, errors, server_errors)
        }));
    }
    let (mut creates, mut polls, mut errors, mut server_errors) = (Vec::new(), Vec::new(), 0, 0);
    for t in tasks {
        let (c, p, e, s) = t.await?;
        creates.extend(c);
        polls.extend(p);
        errors += e;
        server_errors += s;
    }
    server.stop().await;

    // The quota edge: one slot left, 20 at once, five rounds (the winner is deleted between rounds).
    let edge = Server::start(&[
        "--snapshot-quota",
        "5",
        "--snapshot-min-seconds",
        "0.2",
        "--snapshot-gib-per-sec",
        "100000",
        "--operation-seconds",
        "0.2",
    ])
    .await?;
    let addr = edge.addr().to_owned();
    let disk = free_disk(&addr).await?;
    for i in 0..4 {
        http(
            &addr,
            "POST",
            "/v1/regions/cn-north-1/snapshots",
            Some(&create_body(&format!("base-{i}"), &disk)),
        )
        .await?;
    }
    let mut winners = Vec::new();
    for round in 0..5 {
        let mut racers = Vec::new();
        for r in 0..20 {
            let (addr, disk) = (addr.clone(), disk.clone());
            racers.push(tokio::spawn(async move {
                http(
                    &addr,
                    "POST",
                    "/v1/regions/cn-north-1/snapshots",
                    Some(&create_body(&format!("edge-{round}-{r}"), &disk)),
                )
                .await
            }));
        }
        let mut ok = Vec::new();
        let mut refused = 0;
        for r in racers {
            match r.await? {
                Ok((200, v)) => ok.push(v["result"]["snapshotId"].as_str().unwrap_or("").to_owned()),
                Ok((429, _)) => refused += 1,
                Ok((s, v)) => return Err(format!("quota edge: unexpected {s}: {v}").into()),
                Err(e) => return Err(format!("quota edge: {e}").into()),
            }
        }
        winners.push(json!({"succeeded": ok.len(), "refused_429": refused}));
        // Make room again: the winner becomes available, is deleted, and is gone.
        tokio::time::sleep(Duration::from_millis(400)).await;
        for id in &ok {
            http(&addr, "DELETE", &format!("/v1/regions/cn-north-1/snapshots/{id}"), None).await?;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    edge.stop().await;
    let exactly_one = winners.iter().all(|w| w["succeeded"] == 1);
    Ok(json!({
        "consoles": 200,
        "seconds": 20,
        "createSnapshot": summary(creates),
        "describeSnapshots": summary(polls),
        "errors": errors,
        "server_errors": server_errors,
        "quota_edge_rounds": winners,
        "quota_edge_exactly_one_each_time": exactly_one,
    }))
}

/// kill -9 while 50 createSnapshot calls are in flight, then a restart on the same database: the quota's
/// count equals the snapshots that exist, every row is whole, and every clientToken that got a 200 finds
/// its snapshot (a repeat returns the same ID).
async fn crash() -> Result<Value> {
    let db = std::env::temp_dir().join(format!("dc-bench-crash-{}.sqlite3", std::process::id()));
    let db = db.to_string_lossy().into_owned();
    let flags = ["--db", db.as_str(), "--snapshot-quota", "1000", "--snapshot-gib-per-sec", "0.5"];
    let server = Server::start(&flags).await?;
    let addr = server.addr().to_owned();
    let disk = free_disk(&addr).await?;
    let mut calls = Vec::new();
    for i in 0..50 {
        let (addr, disk) = (addr.clone(), disk.clone());
        calls.push(tokio::spawn(async move {
            let token = format!("crash-{i}");
            let r =
                http(&addr, "POST", "/v1/regions/cn-north-1/snapshots", Some(&create_body(&token, &disk)))
                    .await;
            (
                token,
                r.ok()
                    .filter(|(s, _)| *s == 200)
                    .and_then(|(_, v)| v["result"]["snapshotId"].as_str().map(str::to_owned)),
            )
        }));
    }
    tokio::time::sleep(Duration::from_millis(15)).await;
    server.stop().await; // SIGKILL
    let mut answered = Vec::new();
    for c in calls {
        let (token, id) = c.await?;
        if let Some(id) = id {
            answered.push((token, id));
        }
    }
    let server = Server::start_at(&addr, &flags).await?;
    let (_, quota) = http(&addr, "GET", "/v1/regions/cn-north-1/quotas?type=snapshot", None).await?;
    let (_, list) = http(&addr, "GET", "/v1/regions/cn-north-1/snapshots?pageSize=100", None).await?;
    let snapshots = list["result"]["snapshots"].as_array().cloned().unwrap_or_default();
    let whole = snapshots.iter().all(|s| {
        ["snapshotId", "diskId", "name", "status", "createTime"]
            .iter()
            .all(|k| s[k].as_str().is_some_and(|v| !v.is_empty()))
    });
    let mut found = 0;
    for (token, id) in &answered {
        let (status, v) =
            http(&addr, "POST", "/v1/regions/cn-north-1/snapshots", Some(&create_body(token, &disk))).await?;
        if status == 200
            && v["result"]["snapshotId"] == id.as_str()
            && snapshots.iter().any(|s| s["snapshotId"] == id.as_str())
        {
            found += 1;
        }
    }
    let (_, after) = http(&addr, "GET", "/v1/regions/cn-north-1/snapshots?pageSize=100", None).await?;
    server.stop().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
    Ok(json!({
        "in_flight": 50,
        "answered_200_before_the_kill": answered.len(),
        "snapshots_after_restart": snapshots.len(),
        "quota_used_after_restart": quota["result"]["quota"]["used"],
        "quota_equals_snapshots": quota["result"]["quota"]["used"].as_u64() == Some(snapshots.len() as u64),
        "rows_whole": whole,
        "answered_tokens_found": found,
        "repeats_created_nothing": after["result"]["totalCount"].as_u64() == Some(snapshots.len() as u64),
    }))
}

/// Counts the page's live timers (setTimeout not yet fired or cleared, setInterval not cleared) and keeps the
/// wasm instance Trunk starts, so the soak can read its memory. Runs before any of the page's scripts.
const SOAK_PROBE: &str = r#"(() => {
  const timeouts = new Set(), intervals = new Set();
  const st = window.setTimeout.bind(window), ct = window.clearTimeout.bind(window);
  const si = window.setInterval.bind(window), ci = window.clearInterval.bind(window);
  window.setTimeout = function (f, ms, ...a) {
    const id = st((...x) => { timeouts.delete(id); if (typeof f === 'function') f(...x); }, ms, ...a);
    timeouts.add(id); return id; };
  window.clearTimeout = id => { timeouts.delete(id); intervals.delete(id); ct(id); };
  window.setInterval = function (f, ms, ...a) { const id = si(f, ms, ...a); intervals.add(id); return id; };
  window.clearInterval = id => { timeouts.delete(id); intervals.delete(id); ci(id); };
  window.__soakTimers = () => ({timeouts: timeouts.size, intervals: intervals.size});
  addEventListener('disk-console:started', e => { window.__soakWasm = e.detail.wasm; });
})();"#;

/// One stage of a soak wave, driving the page's own controls (the Create Snapshot dialog through the detail
/// page's Actions menu; each row's Delete and its confirmation), as a user would, without WebDriver round
/// trips per click. `stage` is "create", "delete" or "gone"; answers {ok} or {error}.
const SOAK_WAVE: &str = r#"const [stage, names, done] = arguments;
const sleep = ms => new Promise(r => setTimeout(r, ms));
const until = async (what, f, limit = 25000) => { const t0 = Date.now();
  while (!f()) { if (Date.now() - t0 > limit) throw new Error('timed out waiting for ' + what); await sleep(10); } };
const button = (root, name) => root && [...root.querySelectorAll('button, [role=menuitem]')]
  .find(b => b.textContent.trim() === name && !b.disabled);
const dialog = () => document.querySelector('[role=dialog]');
const rowOf = name => [...document.querySelectorAll('tbody tr')]
  .find(r => (r.querySelector('.dc-name') || {}).textContent === name);
(async () => {
  if (stage === 'create') for (const name of names) {
    await until('Actions', () => button(document, 'Actions'));
    button(document, 'Actions').click();
    await until('the menu', () => button(document.querySelector('[role=menu]'), 'Create Snapshot'));
    button(document.querySelector('[role=menu]'), 'Create Snapshot').click();
    await until('the dialog', () => dialog() && dialog().querySelector('input'));
    const input = dialog().querySelector('input');
    input.value = name; input.dispatchEvent(new Event('input', {bubbles: true}));
    await until('OK', () => button(dialog(), 'OK'));
    button(dialog(), 'OK').click();
    await until('the dialog to close', () => !dialog());
    await until('the row of ' + name, () => rowOf(name));
  }
  if (stage === 'delete') for (const name of names) {
    await until(name + ' available', () => rowOf(name) && rowOf(name).innerText.includes('Available')
      && button(rowOf(name), 'Delete'));
    button(rowOf(name), 'Delete').click();
    await until('the confirmation', () => button(dialog(), 'Delete'));
    button(dialog(), 'Delete').click();
    await until('the confirmation to close', () => !dialog());
  }
  if (stage === 'gone') await until('the rows to go', () => names.every(n => !rowOf(n)));
  done({ok: true});
})().catch(e => done({error: String(e)}));"#;

/// What the page holds after a garbage collection, once its toasts have gone.
async fn soak_sample(b: &Browser) -> Result<Value> {
    let quiet = Instant::now();
    while b.js("return document.querySelectorAll('.dc-toast').length").await?.as_u64() != Some(0) {
        if quiet.elapsed() > Duration::from_secs(20) {
            return Err("toasts never went".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let heap = b.cdp("Runtime.getHeapUsage", json!({})).await?;
    let dom = b.cdp("Memory.getDOMCounters", json!({})).await?;
    let page = b
        .js("return {elements: document.getElementsByTagName('*').length, timers: window.__soakTimers(), \
             wasm_bytes: window.__soakWasm ? window.__soakWasm.memory.buffer.byteLength : null, \
             alloc: window.wasmBindings && window.wasmBindings.__disk_console_alloc_stats \
               ? JSON.parse(window.wasmBindings.__disk_console_alloc_stats()) : null}")
        .await?;
    Ok(json!({
        "js_heap_bytes": heap["usedSize"],
        "dom_nodes": dom["nodes"],
        "event_listeners": dom["jsEventListeners"],
        "elements": page["elements"],
        "timeouts": page["timers"]["timeouts"],
        "intervals": page["timers"]["intervals"],
        "wasm_memory_bytes": page["wasm_bytes"],
        // Live allocations by size, when the app was built with the `alloc-probe` feature.
        "live_allocations_by_size": page["alloc"],
    }))
}

/// Soak: one detail page watching 200 snapshot lifecycles (created through its dialog, watched to
/// `available`, deleted through its confirmation, watched until gone), ten at a time within the quota. The
/// page's memory, DOM, listeners and timers after the first wave, after 100 and after 200; the requests the
/// watcher sent, busy and idle.
async fn soak() -> Result<Value> {
    const WAVE: usize = 10;
    // SOAK_LIFECYCLES (a multiple of 100, at least 200) runs a longer soak, sampled every 100.
    let lifecycles: usize =
        std::env::var("SOAK_LIFECYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(200).max(200) / 100
            * 100;
    let flags =
        ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "0.5", "--operation-seconds", "0.5"];
    let server = Server::start(&flags).await?;
    let b = Browser::start().await?;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({"source": SOAK_PROBE})).await?;
    let disk = free_disk(server.addr()).await?;
    b.goto(&server.url(&format!("/disks/{disk}?region=cn-north-1"))).await?;
    b.button("Actions").await?;
    let requests = |v: Value| v["describeSnapshots"].as_u64().unwrap_or(0);
    let (start_requests, started) = (requests(b.api("/_emulator/requests").await?), Instant::now());
    let mut samples = serde_json::Map::new();
    for wave in 0..lifecycles / WAVE {
        let names: Vec<String> = (0..WAVE).map(|i| format!("soak-{wave}-{i}")).collect();
        for stage in ["create", "delete", "gone"] {
            let v = b.client.execute_async(SOAK_WAVE, vec![json!(stage), json!(names)]).await?;
            if let Some(e) = v.get("error") {
                return Err(format!("soak wave {wave}, {stage}: {e}").into());
            }
        }
        let done = (wave + 1) * WAVE;
        if done == WAVE || done.is_multiple_of(100) {
            let busy_secs = started.elapsed().as_secs_f64();
            let sent = requests(b.api("/_emulator/requests").await?) - start_requests;
            let mut s = soak_sample(&b).await?;
            s["describeSnapshots_per_min_so_far"] = json!(sent as f64 * 60.0 / busy_secs);
            samples.insert(format!("after_{done}"), s);
        }
    }
    let busy_secs = started.elapsed().as_secs_f64();
    let busy_requests = requests(b.api("/_emulator/requests").await?) - start_requests;
    // Nothing pending now: the watcher sends nothing.
    let idle_from = requests(b.api("/_emulator/requests").await?);
    tokio::time::sleep(Duration::from_secs(20)).await;
    let idle = requests(b.api("/_emulator/requests").await?) - idle_from;
    let left = b.api("/v1/regions/cn-north-1/snapshots?pageSize=100").await?["result"]["totalCount"].clone();
    b.close().await;
    server.stop().await;

    let growth = |k: &str| -> Value {
        let at = |n: &str| samples[n][k].as_f64();
        let last_100 = format!("after_{}", lifecycles - 100);
        let end = format!("after_{lifecycles}");
        match (at("after_10"), at("after_100"), at("after_200"), at(&last_100), at(&end)) {
            (Some(first), Some(a), Some(b), Some(c), Some(d)) => json!({
                "after_first_wave_to_100": a - first, "from_100_to_200": b - a, "last_100": d - c,
            }),
            _ => Value::Null,
        }
    };
    let keys = [
        "js_heap_bytes",
        "dom_nodes",
        "event_listeners",
        "elements",
        "timeouts",
        "intervals",
        "wasm_memory_bytes",
    ];
    let growth_per_100: serde_json::Map<String, Value> =
        keys.iter().map(|k| (k.to_string(), growth(k))).collect();
    Ok(json!({
        "lifecycles": lifecycles, "at_a_time": WAVE, "seconds": busy_secs,
        "samples": samples,
        "growth_per_100_lifecycles": growth_per_100,
        "describeSnapshots_per_min_busy": busy_requests as f64 * 60.0 / busy_secs,
        "predicted_max_per_min_busy": 60_000.0 / 2000.0,
        "describeSnapshots_idle_20s": idle,
        "snapshots_left": left,
        "note": "busy: something was pending almost all the time, so the watcher polls at its shortest interval (2 s): at most 30 a minute, one request per tick however many are pending",
    }))
}

#[tokio::main]
async fn main() -> Result {
    let results_path =
        PathBuf::from(std::env::var("BENCH_RESULTS").unwrap_or_else(|_| "bench/results.json".into()));
    let mut results: Value = std::fs::read_to_string(&results_path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(json!({}));
    let dist = dist_copy()?;
    let started = Instant::now();

    // BENCH_ONLY=soak,crash runs just those (their results replace the old ones; the rest are kept).
    let only = std::env::var("BENCH_ONLY").ok();
    let run = |name: &str| only.as_deref().is_none_or(|o| o.split(',').any(|x| x.trim() == name));

    if run("first_render") {
        eprintln!("bench: first render (app vs static pages, 30 alternating runs)");
        let server = Server::start(&["--demo-disks", "150", "--dist", dist.to_str().unwrap()]).await?;
        // Navigations return at once: the time to rows is read by polling the page, not the load event
        // (which also waits for the console's code, which the rows no longer need).
        let b = Browser::start_with_page_load("none").await?;
        results["first_render"] = first_render(&b, &server, &dist, 30).await?;
        b.close().await;
        server.stop().await;
    }
    if run("first_render_throttled") {
        // A branch office on a VPN: 10 Mbit/s, 40 ms each way; caches warm, as for a returning user.
        eprintln!("bench: first render on a throttled network (10 Mbit/s, 40 ms)");
        let server = Server::start(&["--demo-disks", "150", "--dist", dist.to_str().unwrap()]).await?;
        let b = Browser::start_with_page_load("none").await?;
        b.set_network(Some((40, 10_000))).await?;
        results["first_render_throttled"] = first_render(&b, &server, &dist, 20).await?;
        b.close().await;
        server.stop().await;
    }
    if run("first_route") {
        eprintln!("bench: what a first visit fetches before the disk list shows (resource timing)");
        results["first_route"] = first_route(&dist).await?;
    }
    if run("click_to_content") {
        eprintln!("bench: click to content, disk detail and the Create Snapshot dialog");
        results["click_to_content"] = click_to_content(&dist).await?;
        // The same app built without split points (`cargo xtask bench` builds it), for comparison.
        if let Some(unsplit) = std::env::var_os("BENCH_UNSPLIT_DIST") {
            eprintln!("bench: click to content, the unsplit build");
            results["click_to_content"]["unsplit"] = click_to_content(Path::new(&unsplit)).await?;
        }
    }
    if run("request_cost") {
        eprintln!("bench: request cost of live status (0, 1, 10, 100 pending; hidden)");
        results["request_cost"] = request_cost().await?;
    }
    if run("dom_work") {
        eprintln!("bench: DOM work per status change (100 rows)");
        results["dom_work"] = dom_work().await?;
    }
    if run("throughput") {
        eprintln!("bench: API throughput vs a static file of the same size");
        results["throughput"] = throughput(&dist).await?;
    }
    if run("gateway") {
        eprintln!("bench: what the signing gateway adds");
        results["gateway"] = gateway_overhead().await?;
    }
    if run("load") {
        eprintln!("bench: 200 simulated consoles, and the quota edge");
        results["load"] = load_consoles().await?;
    }
    if run("crash") {
        eprintln!("bench: kill -9 during 50 createSnapshot calls");
        results["crash"] = crash().await?;
    }
    if run("scaling") {
        eprintln!("bench: scaling with 10, 100, 1,000, 10,000 disks");
        results["scaling"] = scaling(&dist).await?;
    }
    if run("soak") {
        eprintln!("bench: soak, one page watching 200 snapshot lifecycles");
        results["soak"] = soak().await?;
    }
    results["bench_seconds"] = json!(started.elapsed().as_secs());

    std::fs::write(&results_path, serde_json::to_string_pretty(&results)? + "\n")?;
    let _ = std::fs::remove_dir_all(&dist);
    print_table(&results);
    Ok(())
}

fn print_table(r: &Value) {
    let f = |v: &Value| v.as_f64().map(|x| format!("{x:.2}")).unwrap_or_else(|| v.to_string());
    // Only what this run (or the results file) has: BENCH_ONLY runs a few.
    let has = |k: &str| r.get(k).is_some_and(|v| !v.is_null());
    // A paired ratio: its median, its quartiles.
    let pr = |v: &Value| format!("{}× ({}–{})", f(&v["median"]), f(&v["q1"]), f(&v["q3"]));
    println!("\n| Benchmark | Result | Target |");
    println!("|---|---|---|");
    if let Some(t) = r.get("transfer") {
        println!(
            "| Transfer size, gzip (brotli) | {:.1} KiB ({:.1} KiB) | ≤ 150 KiB gzip |",
            t["total_gzip"].as_f64().unwrap_or(0.0) / 1024.0,
            t["total_brotli"].as_f64().unwrap_or(0.0) / 1024.0
        );
    }
    if let Some(t) = r.get("first_route") {
        let kib = |v: &Value| v.as_f64().unwrap_or(0.0) / 1024.0;
        println!(
            "| First route: what a first visit fetches before the disk list shows (resource timing: the page with its first view, and what held its paint back), gzip (brotli); whole app | {:.1} KiB ({:.1} KiB) in {} files; {:.1} KiB ({:.1} KiB) | ≤ 150 KiB gzip |",
            kib(&t["gzip"]),
            kib(&t["brotli"]),
            t["files"].as_array().map_or(0, Vec::len),
            kib(&t["whole_app"]["gzip"]),
            kib(&t["whole_app"]["brotli"])
        );
        let c = &t["until_console"];
        println!(
            "| … and before the console runs its own view (takes the first view over), gzip (brotli) | {:.1} KiB ({:.1} KiB) in {} files | (reported) |",
            kib(&c["gzip"]),
            kib(&c["brotli"]),
            c["files"].as_array().map_or(0, Vec::len)
        );
    }
    if has("first_render_throttled") {
        let ft = &r["first_render_throttled"];
        println!(
            "| First render on 10 Mbit/s, 40 ms (warm cache): app / the same table static; in the page (rows painted; the console's view at); against the plain table; paired ratios (quartiles) | {} ms / {} ms = {}×; {} / {} ms = {}× ({} ms); {}×, in the page {}×; paired {}, in the page {}; plain {}, in the page {} | ≤ 1.3× |",
            f(&ft["app_ms"]),
            f(&ft["static_ms"]),
            f(&ft["ratio"]),
            f(&ft["in_page"]["app_rows_shown_ms"]),
            f(&ft["in_page"]["static_rows_painted_ms"]),
            f(&ft["in_page"]["ratio"]),
            f(&ft["in_page"]["app_console_view_ms"]),
            f(&ft["plain_ratio"]),
            f(&ft["in_page"]["plain_ratio"]),
            pr(&ft["paired_ratio"]),
            pr(&ft["in_page"]["paired_ratio"]),
            pr(&ft["plain_paired_ratio"]),
            pr(&ft["in_page"]["plain_paired_ratio"])
        );
    }
    if has("click_to_content") {
        let cc = &r["click_to_content"];
        let un = &cc["unsplit"];
        println!(
            "| Click to content: disk detail; Create Snapshot dialog (at once after the list; after the idle preload); the unsplit build at once | {} / {} ms; {} / {} ms; unsplit {} ms, {} ms | a click seldom waits |",
            f(&cc["at_once"]["disk_detail_ms"]),
            f(&cc["after_preload"]["disk_detail_ms"]),
            f(&cc["at_once"]["create_dialog_ms"]),
            f(&cc["after_preload"]["create_dialog_ms"]),
            f(&un["at_once"]["disk_detail_ms"]),
            f(&un["at_once"]["create_dialog_ms"])
        );
    }
    if has("first_render") {
        let fr = &r["first_render"];
        println!(
            "| First render, 100 rows: app / the same table as a static page (its markup and style sheets); the plain table; paired ratios (quartiles) | {} ms / {} ms = {}×; {} ms = {}×; paired {}, plain {} | ≤ 1.3× |",
            f(&fr["app_ms"]),
            f(&fr["static_ms"]),
            f(&fr["ratio"]),
            f(&fr["plain_static_ms"]),
            f(&fr["plain_ratio"]),
            pr(&fr["paired_ratio"]),
            pr(&fr["plain_paired_ratio"])
        );
        let ip = &fr["in_page"];
        println!(
            "| … in the page (no WebDriver): rows painted (the first view in the page) / app code runs / mounted / console's view takes over; the same table painted; the plain table; paired ratios (quartiles) | {} / {} / {} / {} ms; {} ms = {}×; {} ms = {}×; paired {}, plain {} | ≤ 1.3× |",
            f(&ip["app_rows_shown_ms"]),
            f(&ip["app_code_starts_ms"]),
            f(&ip["app_mounted_ms"]),
            f(&ip["app_console_view_ms"]),
            f(&ip["static_rows_painted_ms"]),
            f(&ip["ratio"]),
            f(&ip["plain_rows_painted_ms"]),
            f(&ip["plain_ratio"]),
            pr(&ip["paired_ratio"]),
            pr(&ip["plain_paired_ratio"])
        );
        println!(
            "| … the console's page as served with its scripts taken out (its markup alone), painted | {} ms; on 10 Mbit/s, 40 ms {} ms | (reference) |",
            f(&ip["app_page_without_scripts_painted_ms"]),
            f(&r["first_render_throttled"]["in_page"]["app_page_without_scripts_painted_ms"])
        );
    }
    if has("request_cost") {
        let rc = &r["request_cost"];
        for k in [
            "pending_0_per_min",
            "pending_1_per_min",
            "pending_10_per_min",
            "pending_100_per_min",
            "hidden_10_pending_per_min",
        ] {
            println!(
                "| describeSnapshots per minute, {} | {} | one per tick (0 idle or hidden) |",
                k.replace('_', " "),
                f(&rc[k])
            );
        }
    }
    if has("dom_work") {
        let d = &r["dom_work"];
        println!(
            "| DOM nodes changed by one status change (of 100 rows) | {} in that row, row kept: {} ({} elsewhere: elapsed-time counters) | only that row |",
            d["nodes_changed_in_that_row"], d["row_kept"], d["nodes_changed_elsewhere_meanwhile"]
        );
    }
    if has("throughput") {
        for op in ["describeDisks", "describeSnapshots"] {
            let t = &r["throughput"][op];
            println!(
                "| {op} rps vs static file (p50 / p99 ms) | {} vs {} = {}× ({} / {}) | ≥ 0.5× |",
                f(&t["api"]["rps"]),
                f(&t["static_same_size"]["rps"]),
                f(&t["ratio"]),
                f(&t["api"]["p50_ms"]),
                f(&t["api"]["p99_ms"])
            );
        }
    }
    if has("gateway") {
        let g = &r["gateway"];
        println!(
            "| Signing gateway vs the signature-checking emulator directly, describeDisks: p50 / p99 on one connection | {} / {} ms vs {} / {} ms: +{} ms p50 | ≤ 1 ms p50 added |",
            f(&g["one_connection"]["gateway"]["p50_ms"]),
            f(&g["one_connection"]["gateway"]["p99_ms"]),
            f(&g["one_connection"]["direct"]["p50_ms"]),
            f(&g["one_connection"]["direct"]["p99_ms"]),
            f(&g["one_connection"]["added_p50_ms"])
        );
        println!(
            "| … requests per second on eight connections | {} vs {} = {}× | ≥ 0.8× |",
            f(&g["eight_connections"]["gateway"]["rps"]),
            f(&g["eight_connections"]["direct"]["rps"]),
            f(&g["eight_connections"]["rps_ratio"])
        );
    }
    if has("load") {
        let l = &r["load"];
        println!(
            "| Load: {} consoles for {} s on one region: createSnapshot p50 / p99; describeSnapshots p50 / p99; errors; 5xx | {} / {} ms; {} / {} ms; {}; {} | 0 errors, 0 5xx |",
            l["consoles"], l["seconds"],
            f(&l["createSnapshot"]["p50_ms"]), f(&l["createSnapshot"]["p99_ms"]),
            f(&l["describeSnapshots"]["p50_ms"]), f(&l["describeSnapshots"]["p99_ms"]),
            l["errors"], l["server_errors"]
        );
        println!(
            "| … 20 concurrent creates at the quota edge, 5 rounds: exactly one succeeds each time | {} | yes |",
            l["quota_edge_exactly_one_each_time"]
        );
    }
    if has("crash") {
        let c = &r["crash"];
        println!(
            "| Crash: kill -9 during 50 createSnapshot calls, restart: quota = snapshots; rows whole; answered tokens found | {} ({} = {}); {}; {} of {} | all |",
            c["quota_equals_snapshots"], c["quota_used_after_restart"], c["snapshots_after_restart"], c["rows_whole"],
            c["answered_tokens_found"], c["answered_200_before_the_kill"]
        );
    }
    if has("scaling") {
        for n in ["disks_10", "disks_100", "disks_1000", "disks_10000"] {
            let s = &r["scaling"][n];
            println!(
                "| {} : first render / describeDisks p50 | {} ms / {} ms | grows with the page, not the region (≤ 5 ms at 10,000) |",
                n.replace('_', " "),
                f(&s["first_render_ms"]),
                f(&s["describeDisks_page_p50_ms"])
            );
        }
    }
}
