//! What comes after a snapshot, in a real browser: its page, a new disk made from it (live to available),
//! its disk rolled back to it (typed confirmation, restoring → available), and Attach for a detached disk.

use e2e::{ensure, eventually_within, row, Browser, Result, Server};
use std::time::Duration;

const FAST: [&str; 6] =
    ["--snapshot-gib-per-sec", "200", "--snapshot-min-seconds", "2", "--operation-seconds", "1"];

fn shot(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots")).join(name)
}

/// The smallest available disk of cn-north-1 and an available snapshot of it (created through the API).
async fn disk_with_snapshot(b: &Browser) -> Result<(serde_json::Value, String)> {
    let mut free = b.disks_with_status("cn-north-1", "available").await?;
    free.sort_by_key(|d| d["diskSizeGB"].as_u64().unwrap_or(0));
    let disk = free.into_iter().next().ok_or("no available disk")?;
    let id =
        b.create_snapshot("cn-north-1", disk["diskId"].as_str().unwrap(), "golden", "tok-golden").await?;
    eventually_within(Duration::from_secs(30), || async {
        let v = b.api(&format!("/v1/regions/cn-north-1/snapshots/{id}")).await?;
        ensure(v["result"]["snapshot"]["status"] == "available", format!("{v}"))
    })
    .await?;
    Ok((disk, id))
}

async fn text_of(b: &Browser) -> Result<String> {
    b.text().await
}

#[tokio::test]
async fn the_snapshot_page_makes_a_new_disk_that_turns_available_live() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    let (disk, snap) = disk_with_snapshot(&b).await?;
    let disk_name = disk["name"].as_str().unwrap();
    // From the list, the name leads to the snapshot's page.
    b.reload().await?;
    b.find(&format!("{}//a[normalize-space()='golden']", row("golden"))).await?.click().await?;
    b.find("//h1[normalize-space()='golden']").await?;
    let page = text_of(&b).await?;
    for part in
        [snap.as_str(), disk_name, "Available", "Create Disk", "Roll Back Source Disk", "Edit", "Delete"]
    {
        ensure(page.contains(part), format!("the page lacks {part:?}: {page}"))?;
    }
    b.screenshot(&shot("snapshot-page.png")).await?;

    // Create Disk: the rules in the dialog, the quota, then the new disk's own page, live to available.
    b.button("Create Disk").await?.click().await?;
    let dialog = b.dialog("Create Disk").await?;
    let text = dialog.text().await?;
    ensure(text.contains("disks used in cn-north-1"), format!("no disk quota in: {text}"))?;
    let size = b.field("Capacity (GiB)").await?;
    size.clear().await?;
    size.send_keys("10").await?;
    b.sees("Use at least the snapshot's").await?;
    ensure(!b.button("OK").await?.is_enabled().await?, "OK disabled while the size is too small")?;
    size.clear().await?;
    let big = (disk["diskSizeGB"].as_u64().unwrap().max(20).div_ceil(10) * 10 + 100).to_string();
    size.send_keys(&big).await?;
    let name = b.field("Name").await?;
    name.clear().await?;
    name.send_keys("golden-copy").await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    b.find("//h1[normalize-space()='golden-copy']").await?;
    b.find("//*[contains(@class,'dc-badge') and normalize-space()='Creating']").await?;
    eventually_within(Duration::from_secs(30), || async {
        b.client
            .find(fantoccini::Locator::XPath(
                "//*[contains(@class,'dc-badge') and normalize-space()='Available']",
            ))
            .await?;
        Ok(())
    })
    .await?;
    let page = text_of(&b).await?;
    ensure(page.contains(&snap), format!("the new disk names its source snapshot: {page}"))?;
    ensure(page.contains(&format!("{big} GiB")), format!("the new disk has {big} GiB: {page}"))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn roll_back_needs_a_detached_disk_and_the_typed_name_then_restores_live() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let (disk, snap) = disk_with_snapshot(&b).await?;
    let (disk_id, disk_name) = (disk["diskId"].as_str().unwrap(), disk["name"].as_str().unwrap());
    b.goto(&server.url(&format!("/snapshots/{snap}?region=cn-north-1"))).await?;
    b.find("//h1[normalize-space()='golden']").await?;
    b.button("Roll Back Source Disk").await?.click().await?;
    let dialog = b.dialog("Roll Back Disk?").await?;
    let text = dialog.text().await?;
    ensure(text.contains("is lost") && text.contains(disk_name), format!("the warning: {text}"))?;
    let ok = b.find("//*[@role='dialog']//button[normalize-space()='Roll Back']").await?;
    ensure(!ok.is_enabled().await?, "Roll Back waits for the name")?;
    let confirm = b.field(&format!("Type the disk's name, {disk_name}, to confirm")).await?;
    confirm.send_keys("wrong").await?;
    ensure(!ok.is_enabled().await?, "a wrong name does not confirm")?;
    confirm.clear().await?;
    confirm.send_keys(disk_name).await?;
    ok.click().await?;
    b.no_dialog().await?;
    b.find("//*[contains(@class,'dc-badge') and normalize-space()='Restoring']").await?;
    eventually_within(Duration::from_secs(30), || async {
        let d = b.api(&format!("/v1/regions/cn-north-1/disks/{disk_id}")).await?;
        ensure(d["result"]["disk"]["status"] == "available", format!("{d}"))?;
        // The page follows by itself: the source disk's badge no longer says Restoring.
        let v = b
            .js("return [...document.querySelectorAll('.dc-badge')].map(e => e.textContent).join('|')")
            .await?;
        ensure(!v.as_str().unwrap_or("").contains("Restoring"), format!("badges {v}"))
    })
    .await?;

    // An attached disk cannot be rolled back: the page says why, in text.
    let attached = b.disks_with_status("cn-north-1", "in-use").await?;
    let att = attached.iter().find(|d| d["attachments"].as_array().map(Vec::len) == Some(1)).unwrap();
    let on_attached =
        b.create_snapshot("cn-north-1", att["diskId"].as_str().unwrap(), "attached-one", "tok-att").await?;
    eventually_within(Duration::from_secs(30), || async {
        let v = b.api(&format!("/v1/regions/cn-north-1/snapshots/{on_attached}")).await?;
        ensure(v["result"]["snapshot"]["status"] == "available", format!("{v}"))
    })
    .await?;
    b.goto(&server.url(&format!("/snapshots/{on_attached}?region=cn-north-1"))).await?;
    b.sees("Only a detached disk can be rolled back").await?;
    ensure(!b.button("Roll Back Source Disk").await?.is_enabled().await?, "disabled for an attached disk")?;
    let described =
        b.button("Roll Back Source Disk").await?.attr("aria-describedby").await?.unwrap_or_default();
    let why =
        b.js(&format!("return document.getElementById({}).textContent", xpath_str_js(&described))).await?;
    ensure(why.as_str().unwrap_or("").contains("detach it first"), format!("described by {why}"))?;
    b.close().await;
    server.stop().await;
    Ok(())
}

fn xpath_str_js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[tokio::test]
async fn a_detached_disk_can_be_attached_again_from_its_page() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let free = b.disks_with_status("cn-north-1", "available").await?;
    let instances = b.api("/v1/regions/cn-north-1/instances").await?["result"]["instances"].clone();
    let (disk, instance) = free
        .iter()
        .find_map(|d| {
            let i = instances.as_array()?.iter().find(|i| i["az"] == d["az"])?;
            Some((d.clone(), i.clone()))
        })
        .ok_or("no available disk with an instance in its zone")?;
    let disk_id = disk["diskId"].as_str().unwrap();
    b.goto(&server.url(&format!("/disks/{disk_id}?region=cn-north-1"))).await?;
    b.button("Actions").await?.click().await?;
    b.find("//*[@role='menu']//*[@role='menuitem' and normalize-space()='Attach']").await?.click().await?;
    let dialog = b.dialog("Attach Disk").await?;
    let label = format!(
        "{} ({})",
        instance["instanceName"].as_str().unwrap(),
        instance["instanceId"].as_str().unwrap()
    );
    eventually_within(Duration::from_secs(10), || async {
        let t = dialog.text().await?;
        ensure(t.contains(&label), format!("the dialog names the instance {label}: {t}"))
    })
    .await?;
    b.find("//*[@role='dialog']//button[normalize-space()='Attach']").await?.click().await?;
    b.no_dialog().await?;
    eventually_within(Duration::from_secs(20), || async {
        let d = b.api(&format!("/v1/regions/cn-north-1/disks/{disk_id}")).await?;
        ensure(d["result"]["disk"]["status"] == "in-use", format!("{d}"))?;
        b.client
            .find(fantoccini::Locator::XPath(
                "//*[contains(@class,'dc-badge') and normalize-space()='In use']",
            ))
            .await?;
        Ok(())
    })
    .await?;
    // Detach asks first, naming the instance by its name and ID; then the disk is free again.
    b.button("Actions").await?.click().await?;
    b.find("//*[@role='menu']//*[@role='menuitem' and normalize-space()='Detach']").await?.click().await?;
    let confirm = b.dialog("Detach Disk?").await?;
    eventually_within(Duration::from_secs(10), || async {
        let t = confirm.text().await?;
        ensure(t.contains(&label), format!("the confirmation names {label}: {t}"))
    })
    .await?;
    b.find("//*[@role='dialog']//button[normalize-space()='Detach']").await?.click().await?;
    b.no_dialog().await?;
    eventually_within(Duration::from_secs(20), || async {
        let d = b.api(&format!("/v1/regions/cn-north-1/disks/{disk_id}")).await?;
        ensure(d["result"]["disk"]["status"] == "available", format!("{d}"))
    })
    .await?;
    b.close().await;
    server.stop().await;
    Ok(())
}
