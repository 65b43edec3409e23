//! Embedding in a portal (examples/portal/, served from another origin with a strict CSP): an iframe, a
//! sub-path, the `<disk-console>` element (two instances, shadow-root styles), `mount()`/`unmount()` 20×,
//! host events, and the API on another origin with and without the CORS allowlist.

use e2e::{ensure, eventually, eventually_within, Browser, Result, Server, StaticSite};
use serde_json::Value;
use std::time::Duration;

/// The example portal on its own origin. Its CSP allows scripts, styles and requests only from itself and
/// loopback servers: no `unsafe-inline`, no `unsafe-eval`.
async fn portal() -> Result<StaticSite> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/portal");
    StaticSite::start(dir, |_| {
        "default-src 'self'; script-src 'self' http://127.0.0.1:* 'wasm-unsafe-eval'; \
         style-src 'self' http://127.0.0.1:*; connect-src 'self' http://127.0.0.1:*; \
         frame-src http://127.0.0.1:*; img-src 'self' data:; object-src 'none'; base-uri 'self'"
            .to_owned()
    })
    .await
}

/// Runs `script` with `root` bound to the console's root: the shadow root of `<disk-console id=…>`, or the
/// mount slot.
async fn in_root(b: &Browser, root: &str, script: &str) -> Result<Value> {
    let find = if root == "mount-slot" {
        "document.getElementById('mount-slot')".to_owned()
    } else {
        format!("document.getElementById('{root}').shadowRoot")
    };
    b.js(&format!("const root = {find}; if (!root) return null; {script}")).await
}

async fn rows(b: &Browser, root: &str) -> Result<u64> {
    Ok(in_root(b, root, "return root.querySelectorAll('table tbody tr').length").await?.as_u64().unwrap_or(0))
}

async fn wait_rows(b: &Browser, root: &str) -> Result {
    eventually(|| async { ensure(rows(b, root).await? > 0, format!("no disk rows in {root}")) }).await
}

async fn events(b: &Browser) -> Result<String> {
    Ok(b.js("return document.getElementById('events').textContent")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn ready(b: &Browser) -> Result {
    eventually(|| async {
        let v = b.js("return document.body.dataset.ready || ''").await?;
        ensure(v == "true", "the portal did not load embed.js")
    })
    .await
}

#[tokio::test]
async fn under_a_sub_path_routes_links_assets_and_deep_links_work() -> Result {
    let server = Server::start(&["--base-path", "/portal/disks"]).await?;
    let b = Browser::start().await?;
    // The root leads to the base path; the console opens its disk list below it.
    b.goto(&server.url("/")).await?;
    eventually(|| async {
        let at = b.location().await?;
        ensure(at == "/portal/disks/disks", format!("at {at}"))
    })
    .await?;
    b.find("//tbody/tr").await?;
    // A link goes to a disk's page below the base path, without a reload.
    b.js("window.stayed = true").await?;
    let link = b.find("(//tbody/tr//a)[1]").await?;
    let name = link.text().await?;
    link.click().await?;
    eventually(|| async {
        let at = b.location().await?;
        ensure(at.starts_with("/portal/disks/disks/vol-"), format!("at {at}"))
    })
    .await?;
    b.find(&format!("//h1[contains(., {})]", e2e::xpath_str(&name))).await?;
    ensure(b.js("return window.stayed === true").await? == true, "the link reloaded the page")?;
    // A deep link (a reload) works, with every asset found below the base path.
    let deep = b.location().await?;
    b.goto(&server.url(&deep)).await?;
    b.find(&format!("//h1[contains(., {})]", e2e::xpath_str(&name))).await?;
    // Back goes to the list; the API answers below the base path only.
    b.goto(&server.url("/portal/disks/snapshots")).await?;
    b.find("//h1[normalize-space()='Snapshots']").await?;
    let quota = b.api("/portal/disks/v1/regions/cn-north-1/quotas?type=snapshot").await?;
    ensure(quota["result"]["quota"]["limit"] == 15, format!("quota below the base path: {quota}"))?;
    let outside = b.js("return fetch('/v1/regions/cn-north-1/disks').then(r => r.status)").await?;
    ensure(outside == 404, format!("the API answered outside the base path: {outside}"))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn in_an_iframe_only_where_frame_ancestors_allow() -> Result {
    let site = portal().await?;
    let allowed = Server::start(&["--frame-ancestors", &format!("'self' {}", site.origin)]).await?;
    let refused = Server::start(&[]).await?;
    let b = Browser::start().await?;

    b.goto(&format!("{}/iframe.html?console={}", site.origin, allowed.base)).await?;
    b.client.enter_frame(0).await?;
    b.find("//tbody/tr").await?;
    b.find("//h1[normalize-space()='Cloud Disks']").await?;
    b.client.enter_parent_frame().await?;

    // The default policy ('self') keeps the console out of other sites' frames.
    b.goto(&format!("{}/iframe.html?console={}", site.origin, refused.base)).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    b.client.enter_frame(0).await?;
    let shown = b.js("return !!document.querySelector('.dc-app')").await?;
    ensure(shown == false, "the console rendered in a frame its frame-ancestors forbid")?;
    b.close().await;
    Ok(())
}

#[tokio::test]
async fn two_custom_elements_stay_apart_send_events_and_keep_styles_in() -> Result {
    let site = portal().await?;
    let server = Server::start(&[
        "--cors-origin",
        &site.origin,
        "--snapshot-gib-per-sec",
        "100",
        "--snapshot-min-seconds",
        "1",
    ])
    .await?;
    let b = Browser::start().await?;
    b.goto(&format!("{}/element.html?console={}", site.origin, server.base)).await?;
    ready(&b).await?;
    wait_rows(&b, "north").await?;
    wait_rows(&b, "east").await?;

    // Each instance shows its own region.
    let region = |id: &'static str| {
        let b = &b;
        async move { in_root(b, id, "return root.querySelector('select').value").await }
    };
    ensure(region("north").await? == "cn-north-1", "north shows another region")?;
    ensure(region("east").await? == "cn-east-2", "east shows another region")?;

    // Styles stay in: the portal's Georgia and heading sizes do not reach the console, and the console's
    // styles do not reach the portal.
    let font =
        in_root(&b, "north", "return getComputedStyle(root.querySelector('.dc-app')).fontFamily").await?;
    ensure(!font.as_str().unwrap_or("").contains("Georgia"), format!("portal font leaked in: {font}"))?;
    let portal_bg = b.js("return getComputedStyle(document.body).backgroundColor").await?;
    ensure(portal_bg == "rgb(238, 241, 234)", format!("console styles leaked out: body {portal_bg}"))?;
    let portal_h2 = b.js("return getComputedStyle(document.querySelector('h2')).fontSize").await?;
    ensure(portal_h2 == "17px", format!("console styles leaked out: h2 {portal_h2}"))?;
    // The host themes it through the documented custom properties.
    let accent = in_root(
        &b,
        "north",
        "return getComputedStyle(root.querySelector('.dc-nav a[aria-current=page]')).borderBottomColor",
    )
    .await?;
    ensure(accent == "rgb(47, 79, 58)", format!("--dc-accent from the host not used: {accent}"))?;
    let dark = in_root(&b, "east", "return root.querySelector('.dc-app').dataset.theme").await?;
    ensure(dark == "dark", "theme attribute not applied")?;
    // Each theme resolves to its own colours (light in north, dark in east), table headers included.
    let colours = |id: &'static str| {
        let b = &b;
        async move {
            in_root(
                b,
                id,
                "return getComputedStyle(root.querySelector('.dc-app')).backgroundColor + ' / ' + \
                 getComputedStyle(root.querySelector('thead th')).backgroundColor",
            )
            .await
        }
    };
    ensure(colours("north").await? == "rgb(245, 246, 248) / rgb(250, 251, 252)", "light theme colours")?;
    ensure(colours("east").await? == "rgb(20, 23, 30) / rgb(35, 40, 54)", "dark theme colours")?;

    // Navigating one leaves the other (and the page's URL) alone, and tells the host.
    in_root(
        &b,
        "north",
        "const row = [...root.querySelectorAll('tbody tr')].find(r => /Available|In use/.test(r.textContent)); \
         row.querySelector('a').click()",
    )
    .await?;
    eventually(|| async {
        let h = in_root(&b, "north", "return root.querySelector('h1')?.textContent || ''").await?;
        ensure(h.as_str().unwrap_or("") != "Cloud Disks", "north did not open the disk")
    })
    .await?;
    ensure(rows(&b, "east").await? > 0, "east lost its list")?;
    ensure(b.location().await?.starts_with("/element.html"), "the page's URL changed")?;
    eventually(|| async { ensure(events(&b).await?.contains("disk-console:navigate"), "no navigate event") })
        .await?;

    // Create a snapshot from north's Actions menu; the dialog keeps focus inside the shadow root.
    // (The page's heading may be there before its Actions menu.)
    eventually(|| async {
        let v = in_root(
            &b,
            "north",
            "const a = [...root.querySelectorAll('button')].find(b => b.textContent.trim() === 'Actions'); \
             if (a) a.click(); return !!a",
        )
        .await?;
        ensure(v == true, "no Actions menu")
    })
    .await?;
    eventually(|| async {
        let v = in_root(
            &b,
            "north",
            "const i = [...root.querySelectorAll('[role=menuitem]')].find(b => b.textContent.trim() === 'Create Snapshot'); \
             if (i) i.click(); return !!i",
        )
        .await?;
        ensure(v == true, "no Create Snapshot item")
    })
    .await?;
    eventually(|| async {
        let v = in_root(&b, "north", "return !!root.activeElement?.closest('[role=dialog]')").await?;
        ensure(v == true, "focus is not in the dialog")
    })
    .await?;
    in_root(
        &b,
        "north",
        "const d = root.querySelector('[role=dialog]'); \
         const label = [...d.querySelectorAll('label')].find(l => l.textContent.includes('Name')); \
         const input = root.getElementById(label.htmlFor); \
         input.value = 'portal-snap'; input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));",
    )
    .await?;
    // OK is enabled once the view has seen the valid name (effects run after this script).
    tokio::time::sleep(Duration::from_millis(300)).await;
    in_root(
        &b,
        "north",
        "[...root.querySelectorAll('[role=dialog] button')].find(b => b.textContent.trim() === 'OK').click()",
    )
    .await?;
    eventually(|| async {
        let log = events(&b).await?;
        let shown = in_root(&b, "north", "return root.textContent").await?;
        ensure(
            log.contains("disk-console:snapshot-created") && log.contains("portal-snap"),
            format!("log: {log}\nconsole: {shown}"),
        )
    })
    .await?;
    eventually_within(Duration::from_secs(60), || async {
        let log = events(&b).await?;
        ensure(log.contains("disk-console:snapshot-available"), format!("log: {log}"))
    })
    .await?;
    let log = events(&b).await?;
    ensure(log.contains("\"region\":\"cn-north-1\""), format!("event details lack the region: {log}"))?;
    ensure(rows(&b, "east").await? > 0, "east changed")?;
    // All of it under the portal's strict policy: nothing was blocked.
    let blocked = b.js("return window.cspViolations").await?;
    ensure(blocked == serde_json::json!([]), format!("CSP violations: {blocked}"))?;
    b.close().await;
    Ok(())
}

#[tokio::test]
async fn the_api_on_another_origin_needs_the_cors_allowlist() -> Result {
    let site = portal().await?;
    let console = Server::start(&["--cors-origin", &site.origin]).await?;
    let api_refusing = Server::start(&["--seed", "none"]).await?;
    let api_allowing = Server::start(&["--cors-origin", &site.origin]).await?;
    let b = Browser::start().await?;

    // Console files from one origin, API from another that allows the portal: it works.
    b.goto(&format!("{}/mount.html?console={}&api={}", site.origin, console.base, api_allowing.base)).await?;
    ready(&b).await?;
    // A bearer token makes every request carry `authorization`, which the preflight allows.
    b.js("portal.mount({ bearerToken: 't0k' })").await?;
    wait_rows(&b, "mount-slot").await?;
    let asked = b.api(&api_allowing.url("/_emulator/requests")).await?;
    ensure(
        asked["describeDisks"].as_u64().unwrap_or(0) > 0,
        format!("the API origin was not asked: {asked}"),
    )?;

    // An API that does not allow the portal's origin: the browser refuses, and the console says so.
    b.goto(&format!("{}/mount.html?console={}&api={}", site.origin, console.base, api_refusing.base)).await?;
    ready(&b).await?;
    b.js("portal.mount()").await?;
    eventually(|| async {
        let t = in_root(&b, "mount-slot", "return root.textContent").await?;
        ensure(
            t.as_str().unwrap_or("").contains("could not be reached"),
            format!("no network error shown: {t}"),
        )
    })
    .await?;
    b.close().await;
    Ok(())
}

#[tokio::test]
async fn mount_and_unmount_twenty_times_leave_nothing_behind() -> Result {
    let site = portal().await?;
    // Snapshots that stay pending, so a mounted console polls.
    let server = Server::start(&[
        "--cors-origin",
        &site.origin,
        "--snapshot-gib-per-sec",
        "0.001",
        "--snapshot-min-seconds",
        "600",
    ])
    .await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks")).await?;
    let disks = b.disks_with_status("cn-north-1", "available").await?;
    let disk = disks[0]["diskId"].as_str().unwrap_or_default().to_owned();
    b.create_snapshot("cn-north-1", &disk, "stays-pending", "tok-stays-pending").await?;

    b.goto(&format!("{}/mount.html?console={}", site.origin, server.base)).await?;
    ready(&b).await?;
    let body_before = b.js("return document.body.children.length").await?;
    let head_before = b.js("return document.head.children.length").await?;
    for i in 0..20 {
        b.js("portal.mount({ path: '/snapshots' })").await?;
        eventually(|| async {
            let t = in_root(&b, "mount-slot", "return root.textContent").await?;
            ensure(t.as_str().unwrap_or("").contains("stays-pending"), format!("mount {i}: no snapshot row"))
        })
        .await?;
        if i == 0 {
            // Element IDs are this console's own: none of the host's (or another console's) IDs is taken.
            let ids =
                in_root(&b, "mount-slot", "return [...root.querySelectorAll('[id]')].map(e => e.id)").await?;
            let ids: Vec<&str> = ids.as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
            ensure(
                !ids.is_empty() && ids.iter().all(|id| id.starts_with("dc")),
                format!("unprefixed IDs: {ids:?}"),
            )?;
        }
        b.js("portal.unmount()").await?;
        let left = in_root(&b, "mount-slot", "return root.childNodes.length").await?;
        ensure(left == 0, format!("unmount {i} left {left} nodes"))?;
    }
    ensure(b.js("return portal.mounted").await? == 20, "not mounted 20 times")?;
    ensure(b.js("return document.body.children.length").await? == body_before, "nodes added to <body>")?;
    ensure(b.js("return document.head.children.length").await? == head_before, "nodes added to <head>")?;
    ensure(b.location().await?.starts_with("/mount.html"), "the page's URL changed")?;

    // No timer or listener outlives its console: nothing polls once every console is gone.
    let count = || async {
        let v = b.api(&server.url("/_emulator/requests")).await?;
        Ok::<_, e2e::BoxError>(v["describeSnapshots"].as_u64().unwrap_or(0))
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = count().await?;
    tokio::time::sleep(Duration::from_secs(8)).await;
    let after = count().await?;
    ensure(after == before, format!("unmounted consoles still poll: {before} -> {after}"))?;

    // And a console mounted again works as the first did, polling for the pending snapshot (so the silence
    // above is the unmounted consoles', not a watcher that would not have polled anyway).
    b.js("portal.mount({ path: '/snapshots' })").await?;
    eventually(|| async {
        let t = in_root(&b, "mount-slot", "return root.textContent").await?;
        ensure(t.as_str().unwrap_or("").contains("stays-pending"), "remount shows nothing")
    })
    .await?;
    let listed = count().await?;
    eventually_within(Duration::from_secs(30), || async {
        ensure(count().await? > listed, "a mounted console with a pending snapshot does not poll")
    })
    .await?;

    // A bad option is said where the console would be, naming the key; unmounting clears it.
    b.js("portal.unmount(); portal.mount({ theme: 'pink' })").await?;
    eventually(|| async {
        let t =
            in_root(&b, "mount-slot", "return root.querySelector('[role=alert]')?.textContent || ''").await?;
        ensure(t.as_str().unwrap_or("").contains("configuration error — theme:"), format!("shown: {t}"))
    })
    .await?;
    b.js("portal.unmount()").await?;
    ensure(in_root(&b, "mount-slot", "return root.childNodes.length").await? == 0, "the error stayed")?;
    b.close().await;
    Ok(())
}

#[tokio::test]
async fn a_failed_snapshot_is_reported_to_the_host_page() -> Result {
    let site = portal().await?;
    let server = Server::start(&[
        "--cors-origin",
        &site.origin,
        "--snapshot-failure-rate",
        "1",
        "--snapshot-min-seconds",
        "2",
        "--snapshot-gib-per-sec",
        "100",
    ])
    .await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks")).await?;
    let disks = b.disks_with_status("cn-north-1", "available").await?;
    let disk = disks[0]["diskId"].as_str().unwrap_or_default().to_owned();
    b.goto(&format!("{}/mount.html?console={}", site.origin, server.base)).await?;
    ready(&b).await?;
    b.js("portal.mount({ path: '/snapshots' })").await?;
    eventually(|| async {
        let shown =
            in_root(&b, "mount-slot", "return root.querySelector('.dc-empty, table') !== null").await?;
        ensure(shown == true, "the snapshot list did not load")
    })
    .await?;
    // Another client creates a snapshot that fails; the console, watching, tells the host page.
    let id = b.create_snapshot_at(&server.base, "cn-north-1", &disk, "fails", "tok-fails").await?;
    b.js("portal.unmount(); portal.mount({ path: '/snapshots' })").await?;
    eventually_within(Duration::from_secs(30), || async {
        let log = events(&b).await?;
        ensure(log.contains("disk-console:snapshot-failed") && log.contains(&id), format!("log: {log}"))
    })
    .await?;
    ensure(events(&b).await?.contains("\"status\":\"error_create\""), "the event lacks the status")?;
    b.close().await;
    Ok(())
}
