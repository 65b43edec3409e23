//! The first view disk-server renders into the disk list's page: the same markup the console then builds
//! (so the swap moves nothing), in English, in the language chosen in the switcher and below a base path,
//! and a click or a region chosen on it before the console has started is made on the console's view.

use e2e::{ensure, eventually, Browser, Result, Server};
use serde_json::Value;

/// Records, in every page, the rendered first view as the HTML parsed it and the console's view at the moment
/// the rendered one is taken out (a mutation observer's callback runs right after the task that swapped them),
/// each as a tree of tags, sorted attributes and texts; comments (Leptos's markers) and the search box's
/// `value` (an attribute there, a property here) aside.
const RECORDER: &str = r#"
(() => {
  const tree = (n) => {
    if (n.nodeType === 3) return n.data;
    if (n.nodeType !== 1) return null;
    const attrs = [...n.attributes].map(a => a.name)
      .filter(a => a !== 'data-prerendered' && a !== 'data-clicked' && !(n.tagName === 'INPUT' && a === 'value'))
      .sort().map(a => a + '=' + n.getAttribute(a));
    const kids = [];
    for (const c of n.childNodes) { const t = tree(c); if (t !== null && t !== '') kids.push(t); }
    // Adjacent texts are one text (Leptos may build a sentence from several text nodes).
    const merged = [];
    for (const k of kids) {
      if (typeof k === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += k;
      else merged.push(k);
    }
    return [n.tagName.toLowerCase(), attrs, merged];
  };
  window.__firstView = {};
  document.addEventListener('DOMContentLoaded', () => {
    const rendered = document.querySelector('[data-prerendered]');
    if (!rendered) return;
    window.__firstView.rendered = JSON.stringify(tree(rendered));
    new MutationObserver((records, obs) => {
      if (document.querySelector('[data-prerendered]')) return;
      const ours = document.querySelector('#disk-console > .dc-app');
      window.__firstView.ours = JSON.stringify(tree(ours));
      window.__firstView.hidden = getComputedStyle(ours).display === 'none';
      obs.disconnect();
    }).observe(document.getElementById('disk-console'), {childList: true});
  });
})();
"#;

async fn first_view(b: &Browser) -> Result<(String, String)> {
    eventually(|| async {
        let v = b.js("return window.__firstView").await?;
        match (v["rendered"].as_str(), v["ours"].as_str()) {
            (Some(r), Some(o)) => {
                ensure(
                    v["hidden"] == Value::Bool(false),
                    "the console's view is still hidden after the swap",
                )?;
                Ok((r.to_owned(), o.to_owned()))
            }
            (None, _) => Err("no first view was rendered into the page".into()),
            _ => Err("the first view was not taken over".into()),
        }
    })
    .await
}

/// Fails when the console has already replaced the rendered first view: what was done on the page was then
/// done on the console's own view, and the test would prove nothing.
async fn still_the_rendered_view(b: &Browser, what: &str) -> Result {
    let rendered = b.js("return !!document.querySelector('[data-prerendered]')").await?;
    ensure(
        rendered == Value::Bool(true),
        format!("the console started before the {what}: the test proves nothing"),
    )
}

/// A server, and a browser that records the first view and the console's view in every page (and its errors).
async fn recording() -> Result<(Server, Browser)> {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;
    b.watch_errors().await?;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": RECORDER })).await?;
    Ok((server, b))
}

/// Where the two trees first differ, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let from = at.saturating_sub(120);
    let part = |s: &str| s.chars().skip(from).take(300).collect::<String>();
    format!("rendered: …{}…\nconsole:  …{}…", part(a), part(b))
}

#[tokio::test]
async fn the_console_replaces_the_rendered_first_view_with_the_same_markup() -> Result {
    let (server, b) = recording().await?;
    // A page with a search, a page size and disks in every state the emulator seeds.
    for path in ["/disks?region=cn-north-1&pageSize=50", "/disks?region=cn-east-2&name=a"] {
        b.goto(&server.url(path)).await?;
        let (rendered, ours) = first_view(&b).await?;
        ensure(
            rendered == ours,
            format!("{path}: the views differ\n{}", first_difference(&rendered, &ours)),
        )?;
        ensure(rendered.contains("\"tbody\"") || rendered.contains("dc-empty"), format!("{path}: no list"))?;
    }

    // In the language chosen in the switcher, which the page is then rendered in.
    b.find("//header//select[option[normalize-space()='简体中文']]").await?.select_by_value("zh-CN").await?;
    b.find("//h1[normalize-space()='云硬盘']").await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (rendered, ours) = first_view(&b).await?;
    ensure(
        rendered.contains("lang=zh-CN") && rendered.contains("创建快照"),
        "the first view is not in Chinese",
    )?;
    ensure(rendered == ours, format!("zh-CN: the views differ\n{}", first_difference(&rendered, &ours)))?;
    ensure(b.page_errors().await?.is_empty(), "errors in the page")?;
    server.stop().await;

    // Below a base path (its links start with it).
    let server = Server::start(&["--base-path", "/portal/disks"]).await?;
    b.goto(&server.url("/portal/disks/disks?region=cn-north-1")).await?;
    let (rendered, ours) = first_view(&b).await?;
    ensure(
        rendered.contains("href=/portal/disks/disks/vol-"),
        format!("the rendered links lack the base path: {}", &rendered[..rendered.len().min(600)]),
    )?;
    ensure(rendered == ours, format!("base path: the views differ\n{}", first_difference(&rendered, &ours)))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_click_on_the_first_view_before_the_console_starts_is_made_on_the_console_s_view() -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;
    // On the server's origin, but not the console (its code must not be cached yet).
    b.goto_now(&server.url("/console-config.json")).await?;
    let disks = b.disks_with_status("cn-north-1", "available").await?;
    let disk = disks[0]["diskId"].as_str().unwrap_or_default().to_owned();
    // A slow link: the page (and its first view) arrives long before the console's code.
    b.set_network(Some((40, 400))).await?;
    b.goto_now(&server.url("/disks?region=cn-north-1")).await?;
    let button = format!(
        "//*[@data-prerendered]//tr[.//*[normalize-space()='{disk}']]//button[normalize-space()='Create Snapshot']"
    );
    b.find(&button).await?.click().await?;
    still_the_rendered_view(&b, "click").await?;
    b.set_network(None).await?;
    // The console takes over and opens the dialog for that disk, as if clicked now.
    let dialog = b.dialog("Create Snapshot").await?;
    let text = dialog.text().await?;
    ensure(text.contains(&disk), format!("the dialog is not for {disk}: {text}"))?;
    ensure(b.location().await? == "/disks?region=cn-north-1", "the click navigated")?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_region_chosen_on_the_first_view_before_the_console_starts_is_chosen_on_the_console_s_view(
) -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;
    b.goto_now(&server.url("/console-config.json")).await?;
    b.set_network(Some((40, 400))).await?;
    b.goto_now(&server.url("/disks?region=cn-north-1")).await?;
    let select = "//*[@data-prerendered]//header//select[option[@value='cn-east-2']]";
    b.find(select).await?.select_by_value("cn-east-2").await?;
    still_the_rendered_view(&b, "choice").await?;
    b.set_network(None).await?;
    // The console takes over and goes to that region's disks.
    eventually(|| async {
        let at = b.location().await?;
        ensure(at == "/disks?region=cn-east-2", format!("at {at}"))
    })
    .await?;
    let shown = b.js("return document.querySelector('header select').value").await?;
    ensure(shown == "cn-east-2", format!("the console's region switcher shows {shown}"))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

/// In every page: counts the frames asked for before the console's main module is fetched (only the start
/// script's wait asks for one there), after `setup` has taken away what the case says.
fn frames_before_the_code(setup: &str) -> String {
    format!(
        r#"(() => {{ {setup}
  window.__framesBeforeCode = 0; let fetched = false;
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = function (f) {{ if (!fetched) window.__framesBeforeCode++; return raf.call(window, f); }};
  const get = window.fetch;
  window.fetch = function (what, ...rest) {{ if (String(what.url || what).includes('.wasm')) fetched = true; return get.call(window, what, ...rest); }};
}})();"#
    )
}

#[tokio::test]
async fn where_the_browser_has_no_paint_timing_the_console_starts_after_the_next_frame() -> Result {
    let (server, b) = recording().await?;
    let no_observer = "delete window.PerformanceObserver;";
    let cases = [
        // Headless Chromium has paint timing: the start script waits for its entry and asks for no frame.
        ("with paint timing", String::new(), 0),
        // Where it is missing, the next frame (not the 300 ms cap).
        ("without PerformanceObserver", no_observer.to_owned(), 1),
        (
            "with a PerformanceObserver that has no paint type",
            "Object.defineProperty(PerformanceObserver, 'supportedEntryTypes', \
             {configurable: true, get: () => Object.freeze(['mark', 'measure'])});"
                .to_owned(),
            1,
        ),
        // A hidden tab paints nothing: the console starts at once.
        (
            "in a hidden tab",
            format!(
                "{no_observer} Object.defineProperty(document, 'visibilityState', \
                 {{configurable: true, get: () => 'hidden'}});"
            ),
            0,
        ),
    ];
    for (case, setup, frames) in cases {
        let added = b
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                serde_json::json!({ "source": frames_before_the_code(&setup) }),
            )
            .await?;
        b.goto(&server.url("/disks?region=cn-north-1")).await?;
        let (rendered, ours) = first_view(&b).await?;
        ensure(
            rendered == ours,
            format!("{case}: the views differ\n{}", first_difference(&rendered, &ours)),
        )?;
        let asked = b.js("return window.__framesBeforeCode").await?;
        ensure(
            asked == frames,
            format!("{case}: {asked} frames asked for before the console's code, not {frames}"),
        )?;
        ensure(b.page_errors().await?.is_empty(), format!("{case}: errors in the page"))?;
        b.cdp(
            "Page.removeScriptToEvaluateOnNewDocument",
            serde_json::json!({ "identifier": added["identifier"] }),
        )
        .await?;
    }
    b.close().await;
    server.stop().await;
    Ok(())
}
