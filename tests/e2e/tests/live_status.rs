//! Live status: what the watcher costs the API (counted at the server), pausing while hidden, errors that
//! show and heal, and keyed updates that touch one row.

use e2e::{ensure, eventually, eventually_within, row, Browser, Result, Server};
use std::time::Duration;

async fn counts(b: &Browser) -> Result<(u64, u64)> {
    let v = b.api("/_emulator/requests").await?;
    Ok((v["describeSnapshots"].as_u64().unwrap_or(0), v["describeDisks"].as_u64().unwrap_or(0)))
}

#[tokio::test]
async fn request_cost_idle_pending_and_hidden() -> Result {
    let server = Server::start(&[
        "--snapshot-gib-per-sec",
        "1",
        "--snapshot-min-seconds",
        "60",
        "--snapshot-quota",
        "100",
    ])
    .await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1&pageSize=50")).await?;
    b.find("//tbody/tr").await?;

    // Nothing pending: not one describe request in 30 s.
    let before = counts(&b).await?;
    tokio::time::sleep(Duration::from_secs(30)).await;
    let after = counts(&b).await?;
    ensure(after == before, format!("idle console polled: {before:?} -> {after:?}"))?;

    // Ten snapshots pending in one region: one describeSnapshots a tick, however many there are.
    let disks = b
        .api("/v1/regions/cn-north-1/disks?pageSize=50&filters.1.name=status&filters.1.values.1=available")
        .await?;
    let disk = disks["result"]["disks"][0]["diskId"].as_str().unwrap().to_owned();
    for i in 0..10 {
        b.create_snapshot("cn-north-1", &disk, &format!("pending-{i}"), &format!("tok-pending-{i}")).await?;
    }
    b.find("//nav//a[normalize-space()='Snapshots']").await?.click().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("pending-9"))).await?;
    let start = counts(&b).await?;
    let window = 12;
    tokio::time::sleep(Duration::from_secs(window)).await;
    let end = counts(&b).await?;
    let polls = end.0 - start.0;
    // The shortest interval is 2 s: at most one request per 2 s, not one per snapshot.
    ensure(
        polls >= 1 && polls <= window / 2 + 1,
        format!("{polls} describeSnapshots in {window} s for 10 pending"),
    )?;
    ensure(end.1 == start.1, "no disk requests: no disk is pending")?;

    // Hidden: nothing at all; shown again: a refresh at once.
    b.set_hidden(true).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hidden_start = counts(&b).await?;
    tokio::time::sleep(Duration::from_secs(10)).await;
    ensure(counts(&b).await? == hidden_start, "polled while hidden")?;
    b.set_hidden(false).await?;
    eventually_within(Duration::from_secs(2), || async {
        ensure(counts(&b).await?.0 > hidden_start.0, "no refresh on return")
    })
    .await?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn errors_pause_with_a_banner_and_views_catch_up() -> Result {
    let db = std::env::temp_dir().join(format!("dc-e2e-live-{}.sqlite3", std::process::id()));
    let db = db.to_str().unwrap().to_owned();
    let flags = ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "6", "--db", db.as_str()];
    let server = Server::start(&flags).await?;
    let addr = server.addr().to_owned();
    let b = Browser::start().await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    let disks =
        b.api("/v1/regions/cn-north-1/disks?filters.1.name=status&filters.1.values.1=available").await?;
    let disk = disks["result"]["disks"][0]["diskId"].as_str().unwrap().to_owned();
    b.create_snapshot("cn-north-1", &disk, "survivor", "tok-survivor").await?;
    b.reload().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("survivor"))).await?;

    server.stop().await;
    // The next poll may be up to 15 s away (the interval grows while nothing changes).
    let banner_path = "//*[@role='status' and starts-with(normalize-space(), 'Live updates paused')]";
    let banner = eventually_within(Duration::from_secs(30), || async {
        Ok(b.client.find(fantoccini::Locator::XPath(banner_path)).await?)
    })
    .await?;
    ensure(banner.text().await?.contains("Retry"), "the banner offers Retry")?;

    let server = Server::start_at(&addr, &flags).await?;
    b.button("Retry").await?.click().await?;
    eventually_within(Duration::from_secs(30), || async {
        b.client
            .find(fantoccini::Locator::XPath(&format!(
                "{}//*[normalize-space()='Available']",
                row("survivor")
            )))
            .await?;
        Ok(())
    })
    .await?;
    eventually(|| async {
        let n = b.js("return [...document.querySelectorAll('[role=status]')].filter(e => e.innerText.includes('Live updates paused')).length").await?;
        ensure(n == 0, "the banner went away")
    })
    .await?;

    b.close().await;
    server.stop().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
    Ok(())
}

#[tokio::test]
async fn a_status_change_updates_its_row_in_place() -> Result {
    let server = Server::start(&["--snapshot-gib-per-sec", "10", "--snapshot-min-seconds", "3"]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    let disks = b.api("/v1/regions/cn-north-1/disks?pageSize=100").await?;
    let mut by_size: Vec<(u64, String)> = disks["result"]["disks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "available" || d["status"] == "in-use")
        .map(|d| (d["diskSizeGB"].as_u64().unwrap(), d["diskId"].as_str().unwrap().to_owned()))
        .collect();
    by_size.sort();
    let (small, large) = (by_size.first().unwrap().1.clone(), by_size.last().unwrap().1.clone());
    ensure(by_size.last().unwrap().0 >= 500, "a big disk takes long")?;
    b.create_snapshot("cn-north-1", &large, "slow", "tok-slow").await?;
    b.create_snapshot("cn-north-1", &small, "quick", "tok-quick").await?;
    b.reload().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("quick"))).await?;
    b.js(&format!(
        "window.__row = document.evaluate({:?}, document, null, 9, null).singleNodeValue; \
         window.__rowsAdded = 0; \
         new MutationObserver(ms => ms.forEach(m => window.__rowsAdded += m.addedNodes.length + m.removedNodes.length)) \
           .observe(document.querySelector('tbody'), {{childList: true}}); return 1",
        row("quick")
    ))
    .await?;
    eventually_within(Duration::from_secs(20), || async {
        b.client
            .find(fantoccini::Locator::XPath(&format!("{}//*[normalize-space()='Available']", row("quick"))))
            .await?;
        Ok(())
    })
    .await?;
    let same = b
        .js(&format!(
            "return window.__row === document.evaluate({:?}, document, null, 9, null).singleNodeValue",
            row("quick")
        ))
        .await?;
    ensure(same == true, "the row element was replaced")?;
    ensure(b.js("return window.__rowsAdded").await? == 0, "rows were added or removed")?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("slow"))).await?;

    b.close().await;
    server.stop().await;
    Ok(())
}
