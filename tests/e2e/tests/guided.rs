//! The guided detach–snapshot–attach flow in a real browser: a single- and a multi-attached disk, a reload
//! in the middle of each step, and a failure injected at each step (the emulator's failure knob).

use e2e::{ensure, eventually_within, row, Browser, Result, Server};
use serde_json::Value;
use std::time::Duration;

const FLAGS: [&str; 6] =
    ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "4", "--operation-seconds", "3"];
const LIMIT: Duration = Duration::from_secs(40);
/// The reload runs' server: slower operations and snapshot, so that each state a test reloads in lasts
/// seconds, not one watcher tick (a state missed while the browser was busy failed CI once).
const SLOW: [&str; 6] =
    ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "8", "--operation-seconds", "5"];

async fn disk(b: &Browser, id: &str) -> Result<Value> {
    Ok(b.api(&format!("/v1/regions/cn-north-1/disks/{id}")).await?["result"]["disk"].clone())
}

fn attachment_count(d: &Value) -> usize {
    d["attachments"].as_array().map_or(0, Vec::len)
}

fn attached_ids(d: &Value) -> Vec<String> {
    let mut ids: Vec<String> = d["attachments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["status"] == "attached")
        .filter_map(|a| a["instanceId"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// An in-use disk attached to `n` instances.
async fn attached_disk(b: &Browser, n: usize) -> Result<(String, Vec<String>)> {
    let disks = b.disks_with_status("cn-north-1", "in-use").await?;
    let d = disks.iter().find(|d| attached_ids(d).len() == n).ok_or(format!("no disk on {n} instances"))?;
    Ok((d["diskId"].as_str().unwrap().to_owned(), attached_ids(d)))
}

/// Method 1 from the disk list, the guided way (the default): a name, OK.
/// Says where an error happened.
fn ctx<E: std::fmt::Display>(what: String) -> impl FnOnce(E) -> String {
    move |e| format!("{what}: {e}")
}

async fn start_guided(b: &Browser, server: &Server, disk_id: &str, name: &str) -> Result {
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    click(b, &format!("{}//button[normalize-space()='Create Snapshot']", row(disk_id)))
        .await
        .map_err(ctx(format!("starting {name}, open")))?;
    b.dialog("Create Snapshot").await.map_err(ctx(format!("starting {name}, dialog")))?;
    let guided =
        "//*[@role='dialog']//label[contains(., 'Detach, snapshot, attach again (recommended)')]//input";
    let script = format!(
        "return document.evaluate({}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.checked",
        serde_json::to_string(guided).unwrap()
    );
    ensure(
        b.js(&script).await.map_err(ctx(format!("starting {name}, radio")))? == true,
        "the guided way is the default",
    )?;
    b.field("Name")
        .await
        .map_err(ctx(format!("starting {name}, name field")))?
        .send_keys(name)
        .await
        .map_err(ctx(format!("starting {name}, typing")))?;
    click(b, "//*[@role='dialog']//button[normalize-space()='OK']")
        .await
        .map_err(ctx(format!("starting {name}, OK")))?;
    b.no_dialog().await.map_err(ctx(format!("starting {name}, closing")))?;
    Ok(())
}

async fn wait_for(b: &Browser, what: &str, f: impl Fn(&Value) -> bool, disk_id: &str) -> Result<Value> {
    eventually_within(LIMIT, || async {
        let d = disk(b, disk_id).await?;
        ensure(f(&d), format!("waiting for {what}: {d}"))?;
        Ok(d)
    })
    .await
}

/// Clicks what `xpath` finds, again if the page rebuilt it in between (rows and the flow's panel follow
/// the plan live).
async fn click(b: &Browser, xpath: &str) -> Result {
    eventually_within(Duration::from_secs(10), || async {
        b.find(xpath).await?.click().await?;
        Ok(())
    })
    .await
}

async fn press(b: &Browser, name: &str) -> Result {
    click(b, &format!("//button[normalize-space()={}]", e2e::xpath_str(name))).await
}

async fn snapshots_named(b: &Browser, name: &str) -> Result<Vec<Value>> {
    Ok(b.snapshots("cn-north-1").await?.into_iter().filter(|s| s["name"] == name).collect())
}

async fn arm(b: &Browser, operation: &str) -> Result {
    b.arm_failure(operation, "fail").await
}

#[tokio::test]
async fn a_single_attached_disk_survives_a_reload_in_every_step() -> Result {
    let server = Server::start(&SLOW).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (disk_id, instances) = attached_disk(&b, 1).await?;
    start_guided(&b, &server, &disk_id, "guided-1").await?;

    // Detaching: the row says so; a reload in the middle carries on.
    wait_for(&b, "detaching", |d| d["status"] == "detaching", &disk_id).await?;
    b.sees("Detached for a snapshot: attach again").await?;
    b.reload().await?;
    // Snapshot being created (the disk detached): reload again.
    eventually_within(LIMIT, || async {
        ensure(
            snapshots_named(&b, "guided-1").await?.iter().any(|s| s["status"] == "creating"),
            "no snapshot yet",
        )
    })
    .await?;
    ensure(disk(&b, &disk_id).await?["status"] == "available", "detached while the snapshot is taken")?;
    b.goto(&server.url(&format!("/disks/{disk_id}?region=cn-north-1"))).await?;
    b.sees("Guided snapshot").await?;
    b.sees("Create the snapshot and wait until it is available").await?;
    b.reload().await?;
    // Attaching again: reload once more.
    wait_for(&b, "attaching", |d| d["status"] == "attaching", &disk_id).await?;
    b.reload().await?;
    let d = wait_for(&b, "in use again", |d| d["status"] == "in-use", &disk_id).await?;
    ensure(attached_ids(&d) == instances, format!("attached again to the same instance: {d}"))?;
    b.sees("Done: disk").await?;
    let snaps = snapshots_named(&b, "guided-1").await?;
    ensure(
        snaps.len() == 1 && snaps[0]["status"] == "available",
        format!("exactly one snapshot: {snaps:?}"),
    )?;
    press(&b, "Dismiss").await?;
    eventually_within(Duration::from_secs(5), || async {
        ensure(!b.text().await?.contains("Guided snapshot"), "dismissed")
    })
    .await?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_multi_attached_disk_is_detached_from_and_attached_to_every_instance() -> Result {
    let server = Server::start(&SLOW).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (disk_id, instances) = attached_disk(&b, 2).await?;
    // The first attach again will fail (the failure knob): armed now, so that the flow stops there whenever
    // it gets there; no other step attaches.
    arm(&b, "attachDisk").await?;
    start_guided(&b, &server, &disk_id, "guided-multi").await?;
    b.goto(&server.url(&format!("/disks/{disk_id}?region=cn-north-1"))).await?;
    // Both instances are named in the steps.
    for i in &instances {
        b.sees(i).await?;
    }
    let shot = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/screenshots/guided-flow.png"
    ));
    b.screenshot(shot).await?;
    // A reload while it detaches from the first instance, another once it is off the first (between the
    // two detaches or during the second).
    wait_for(&b, "detaching", |d| d["status"] == "detaching" && attachment_count(d) == 2, &disk_id).await?;
    b.reload().await?;
    wait_for(&b, "off the first", |d| attachment_count(d) == 1, &disk_id).await?;
    b.reload().await?;
    // Detached from both, and the snapshot under way: reload.
    wait_for(&b, "detached from both", |d| attachment_count(d) == 0, &disk_id).await?;
    let snap = eventually_within(LIMIT, || async {
        let snaps = snapshots_named(&b, "guided-multi").await?;
        ensure(snaps.len() == 1, format!("waiting for the snapshot: {snaps:?}"))?;
        Ok(snaps[0].clone())
    })
    .await?;
    b.reload().await?;
    eventually_within(LIMIT, || async {
        ensure(
            b.text().await?.contains("Attach again failed: the disk did not attach to"),
            "no attach failure shown",
        )
    })
    .await?;
    let d = disk(&b, &disk_id).await?;
    ensure(
        d["status"] == "available" && attachment_count(&d) == 0,
        format!(
            "detached from both when the snapshot was taken, still so after the failed attach: {d} ({snap})"
        ),
    )?;
    ensure(
        snapshots_named(&b, "guided-multi").await?.iter().any(|s| s["status"] == "available"),
        "the snapshot was taken before the failure",
    )?;
    press(&b, "Attach Again Now").await?;
    // A reload while it attaches again (to the first or the second instance).
    wait_for(&b, "attaching", |d| attachment_count(d) > 0 && attached_ids(d).len() < 2, &disk_id).await?;
    b.reload().await?;
    let d =
        wait_for(&b, "on both again", |d| d["status"] == "in-use" && attached_ids(d).len() == 2, &disk_id)
            .await?;
    ensure(attached_ids(&d) == instances, format!("the same instances: {d}"))?;
    b.sees("Done: disk").await?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_failure_at_each_step_stops_the_flow_says_why_and_attach_again_returns_the_disk() -> Result {
    let server = Server::start(&FLAGS).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (disk_id, instances) = attached_disk(&b, 1).await?;
    let page = server.url(&format!("/disks/{disk_id}?region=cn-north-1"));

    // Detach fails: the disk stays attached; the flow says so and stops.
    arm(&b, "detachDisk").await?;
    start_guided(&b, &server, &disk_id, "fail-detach").await?;
    b.goto(&page).await?;
    eventually_within(LIMIT, || async {
        ensure(
            b.text().await?.contains("Detach failed: the disk is still attached to"),
            "no detach failure shown",
        )
    })
    .await?;
    ensure(snapshots_named(&b, "fail-detach").await?.is_empty(), "no snapshot after a failed detach")?;
    press(&b, "Dismiss").await?;

    // The snapshot fails: the disk is detached; the page says so and Attach Again Now gives it back.
    arm(&b, "createSnapshot").await?;
    start_guided(&b, &server, &disk_id, "fail-snap").await?;
    b.goto(&page).await?;
    eventually_within(LIMIT, || async {
        ensure(
            b.text().await?.contains("Create snapshot failed: the snapshot failed"),
            "no snapshot failure shown",
        )
    })
    .await?;
    ensure(disk(&b, &disk_id).await?["status"] == "available", "left detached")?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    // The row's mark follows the plan live (rebuilt as it changes): clicked again if it was rebuilt.
    click(&b, &format!("{}//a[normalize-space()='Detached for a snapshot: attach again']", row(&disk_id)))
        .await?;
    press(&b, "Attach Again Now").await?;
    let d = wait_for(&b, "attached again", |d| d["status"] == "in-use", &disk_id).await?;
    ensure(attached_ids(&d) == instances, format!("the same instance: {d}"))?;
    b.sees("Done: disk").await?;
    press(&b, "Dismiss").await?;

    // Attaching again fails: the flow says which instance; Attach Again Now retries and succeeds.
    arm(&b, "attachDisk").await?;
    start_guided(&b, &server, &disk_id, "fail-attach").await?;
    b.goto(&page).await?;
    eventually_within(LIMIT, || async {
        ensure(
            b.text().await?.contains("Attach again failed: the disk did not attach to"),
            "no attach failure shown",
        )
    })
    .await?;
    ensure(disk(&b, &disk_id).await?["status"] == "available", "detached after the failed attach")?;
    press(&b, "Attach Again Now").await?;
    let d = wait_for(&b, "attached at last", |d| d["status"] == "in-use", &disk_id).await?;
    ensure(attached_ids(&d) == instances, format!("the same instance: {d}"))?;
    let snaps = snapshots_named(&b, "fail-attach").await?;
    ensure(snaps.len() == 1 && snaps[0]["status"] == "available", format!("its snapshot: {snaps:?}"))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

/// The tab that drives the flow goes away mid-flow (closed while the disk detaches): another tab of the
/// console takes the plan over (the lease is handed over on pagehide) and finishes it.
#[tokio::test]
async fn another_tab_takes_over_when_the_driving_tab_closes() -> Result {
    let server = Server::start(&FLAGS).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (disk_id, instances) = attached_disk(&b, 1).await?;
    let first = b.client.window().await?;
    start_guided(&b, &server, &disk_id, "guided-tab").await?;
    wait_for(&b, "detaching", |d| d["status"] == "detaching", &disk_id).await?;

    // A second tab opens the disk's page; the first one is closed.
    let second = b.client.new_window(true).await?.handle;
    b.client.switch_to_window(second.clone()).await?;
    b.goto(&server.url(&format!("/disks/{disk_id}?region=cn-north-1"))).await?;
    b.sees("Guided snapshot").await?;
    b.client.switch_to_window(first).await?;
    b.client.close_window().await?;
    b.client.switch_to_window(second).await?;

    // Nobody else drives it: the second tab takes the snapshot and attaches the disk again.
    let d = wait_for(&b, "in use again", |d| d["status"] == "in-use", &disk_id).await?;
    ensure(attached_ids(&d) == instances, format!("attached again to the same instance: {d}"))?;
    let snaps = snapshots_named(&b, "guided-tab").await?;
    ensure(
        snaps.len() == 1 && snaps[0]["status"] == "available",
        format!("exactly one snapshot: {snaps:?}"),
    )?;
    b.sees("Done: disk").await?;
    b.close().await;
    server.stop().await;
    Ok(())
}
