//! Creating snapshots from the disk list (Method 1) and the detail page (Method 2), the dialog's rules,
//! quota, failures, and managing snapshots, in a real browser against the real server.

use e2e::{ensure, eventually, eventually_within, keys, row, xpath_str, Browser, Result, Server};
use serde_json::Value;
use std::time::Duration;

const FAST: [&str; 4] = ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "3"];

async fn mark_page(b: &Browser) -> Result {
    b.js("window.__noReload = 'still here'; return 1").await?;
    Ok(())
}

async fn not_reloaded(b: &Browser) -> Result {
    let v = b.js("return window.__noReload || ''").await?;
    ensure(v == "still here", "the page was reloaded")
}

fn shot(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots")).join(name)
}

#[tokio::test]
async fn method_1_and_method_2_create_snapshots_that_become_available_without_reload() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disk = b
        .disks_with_status("cn-north-1", "available")
        .await?
        .into_iter()
        .next()
        .ok_or("no available disk")?;
    let (disk_id, disk_name) =
        (disk["diskId"].as_str().unwrap().to_owned(), disk["name"].as_str().unwrap().to_owned());
    mark_page(&b).await?;

    // Method 1: the row's Create Snapshot button.
    let open = b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?;
    open.click().await?;
    let dialog = b.dialog("Create Snapshot").await?;
    let text = dialog.text().await?;
    for part in [
        disk_name.as_str(),
        disk_id.as_str(),
        "cn-north-1",
        "Stop writing",
        "kept when the disk is deleted",
        "0 of 15 snapshots used in cn-north-1",
    ] {
        ensure(text.contains(part), format!("dialog lacks {part:?}: {text}"))?;
    }
    eventually(|| async { ensure(b.focused().await? == "snapshot-name", "focus starts in Name") }).await?;
    b.screenshot(&shot("create-dialog.png")).await?;

    // An invalid name is refused in the dialog, before any request.
    b.keys("bad name!").await?;
    b.sees("is not allowed").await?;
    let ok = b.button("OK").await?;
    ensure(!ok.is_enabled().await?, "OK disabled while the name is invalid")?;
    b.keys(keys::ENTER).await?;
    ensure(b.snapshots("cn-north-1").await?.is_empty(), "nothing was sent")?;

    let name = b.field("Name").await?;
    name.clear().await?;
    name.send_keys("m1-snap").await?;
    b.field("Description").await?.send_keys("from the list").await?;
    b.sees("13 / 256 characters").await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    b.sees("Creating snapshot m1-snap").await?;
    eventually(|| async { ensure(b.focused().await? == "Create Snapshot", "focus back on the opener") })
        .await?;
    b.find(&format!("{}//*[normalize-space()='Snapshot in progress']", row(&disk_id))).await?;

    // The detail page shows it Creating, then Available, by itself.
    b.find(&format!("{}//a", row(&disk_id))).await?.click().await?;
    b.find(&format!("//h1[normalize-space()={}]", xpath_str(&disk_name))).await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("m1-snap"))).await?;
    eventually_within(Duration::from_secs(20), || async {
        b.client
            .find(fantoccini::Locator::XPath(&format!(
                "{}//*[normalize-space()='Available']",
                row("m1-snap")
            )))
            .await?;
        Ok(())
    })
    .await?;
    b.sees("Snapshot m1-snap is available").await?;

    // Method 2: Actions → Create Snapshot, at the top right of the detail page; the menu works by keyboard.
    let actions = b.button("Actions").await?;
    actions.click().await?;
    eventually(|| async { ensure(b.focused().await? == "Create Snapshot", "menu focuses its first item") })
        .await?;
    b.keys(keys::ESCAPE).await?;
    eventually(|| async { ensure(b.focused().await? == "Actions", "Escape returns focus to the button") })
        .await?;
    actions.click().await?;
    b.find("//*[@role='menu']//*[@role='menuitem' and normalize-space()='Create Snapshot']")
        .await?
        .click()
        .await?;
    b.dialog("Create Snapshot").await?;
    b.keys("m2-snap").await?;
    b.keys(keys::ENTER).await?;
    b.no_dialog().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("m2-snap"))).await?;
    b.screenshot(&shot("disk-detail.png")).await?;
    eventually_within(Duration::from_secs(20), || async {
        b.client
            .find(fantoccini::Locator::XPath(&format!(
                "{}//*[normalize-space()='Available']",
                row("m2-snap")
            )))
            .await?;
        Ok(())
    })
    .await?;

    // The snapshot list shows both, available, and the quota counts them.
    b.find("//nav//a[normalize-space()='Snapshots']").await?.click().await?;
    b.find(&format!("{}//*[normalize-space()='Available']", row("m1-snap"))).await?;
    b.find(&format!("{}//*[normalize-space()='Available']", row("m2-snap"))).await?;
    b.sees("2 of 15 snapshots used in cn-north-1").await?;
    not_reloaded(&b).await?;
    let all = b.snapshots("cn-north-1").await?;
    ensure(all.len() == 2 && all.iter().all(|s| s["diskId"] == disk_id.as_str()), format!("{all:?}"))?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn the_dialog_traps_focus_warns_for_attached_disks_and_escape_restores_focus() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disk =
        b.disks_with_status("cn-north-1", "in-use").await?.into_iter().next().ok_or("no attached disk")?;
    let disk_id = disk["diskId"].as_str().unwrap().to_owned();
    let instance_id = disk["attachments"][0]["instanceId"].as_str().unwrap().to_owned();
    let instances = b.api("/v1/regions/cn-north-1/instances").await?;
    let instance_name = instances["result"]["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["instanceId"] == instance_id.as_str())
        .map(|i| i["instanceName"].as_str().unwrap().to_owned())
        .ok_or("instance not listed")?;

    b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?.click().await?;
    let dialog = b.dialog("Create Snapshot").await?;
    b.sees(&format!("{instance_name} ({instance_id})")).await?;
    // The guide's advice is the default choice; the other says to stop writes.
    let guided = b.find("//*[@role='dialog']//label[contains(., 'Detach, snapshot, attach again (recommended)')]//input[@type='radio']").await?;
    ensure(guided.is_selected().await?, "the guided way is chosen by default")?;
    ensure(
        !dialog.text().await?.contains("Detaching it first is recommended"),
        "no warning for the guided way",
    )?;
    b.find("//*[@role='dialog']//label[contains(., 'Snapshot while attached')]//input[@type='radio']")
        .await?
        .click()
        .await?;
    ensure(
        dialog.text().await?.contains("Detaching it first is recommended"),
        "the warning for a snapshot while attached",
    )?;

    // Tab never leaves the dialog.
    for _ in 0..12 {
        b.keys(keys::TAB).await?;
        let inside = b.js("return !!document.activeElement.closest('[role=dialog]')").await?;
        ensure(inside == true, "focus left the dialog")?;
    }
    // Escape closes it and focus returns to the button that opened it.
    b.keys(keys::ESCAPE).await?;
    b.no_dialog().await?;
    eventually(|| async { ensure(b.focused().await? == "Create Snapshot", "focus restored") }).await?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn at_the_quota_both_entry_points_are_disabled_with_the_reason() -> Result {
    let server = Server::start(&["--snapshot-quota", "2"]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let free = b.disks_with_status("cn-north-1", "available").await?;
    let disk_id = free[0]["diskId"].as_str().unwrap().to_owned();
    b.create_snapshot("cn-north-1", &disk_id, "q1", "quota-1").await?;
    b.create_snapshot("cn-north-1", &disk_id, "q2", "quota-2").await?;
    b.reload().await?;
    b.sees("2 of 2 snapshots used in cn-north-1").await?;
    b.sees("The snapshot quota of cn-north-1 is used up (2 of 2)").await?;
    let buttons = b
        .client
        .find_all(fantoccini::Locator::XPath("//tbody//button[normalize-space()='Create Snapshot']"))
        .await?;
    ensure(!buttons.is_empty(), "rows have the button")?;
    for button in buttons {
        ensure(!button.is_enabled().await?, "Create Snapshot disabled at the quota")?;
    }
    b.find("//a[normalize-space()='Go to the snapshot list']").await?;

    b.find(&format!("{}//a", row(&disk_id))).await?.click().await?;
    b.button("Actions").await?.click().await?;
    let item = b.find("//*[@role='menuitem' and normalize-space()='Create Snapshot']").await?;
    ensure(item.attr("aria-disabled").await?.as_deref() == Some("true"), "menu item disabled")?;
    item.click().await?;
    ensure(b.js("return document.querySelectorAll('[role=dialog]').length").await? == 0, "no dialog opens")?;
    b.sees("Go to the snapshot list").await?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_failed_request_keeps_the_inputs_and_a_retry_never_duplicates() -> Result {
    let db = std::env::temp_dir().join(format!("dc-e2e-{}.sqlite3", std::process::id()));
    let db = db.to_str().unwrap().to_owned();
    let mut flags = FAST.to_vec();
    flags.extend(["--db", db.as_str()]);
    let server = Server::start(&flags).await?;
    let addr = server.addr().to_owned();
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disk_id =
        b.disks_with_status("cn-north-1", "available").await?[0]["diskId"].as_str().unwrap().to_owned();

    // The server goes away: the dialog says so and keeps what was typed.
    b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?.click().await?;
    b.dialog("Create Snapshot").await?;
    b.keys("kept-name").await?;
    b.field("Description").await?.send_keys("kept description").await?;
    server.stop().await;
    b.button("OK").await?.click().await?;
    b.find("//*[@role='dialog']//*[@role='alert' and contains(., 'could not be reached')]").await?;
    ensure(b.field("Name").await?.prop("value").await?.as_deref() == Some("kept-name"), "name kept")?;
    ensure(
        b.field("Description").await?.prop("value").await?.as_deref() == Some("kept description"),
        "description kept",
    )?;

    // It comes back; the first answer gets lost on the way (the server did the work), and OK is pressed again.
    let server = Server::start_at(&addr, &flags).await?;
    b.js("const real = window.fetch; let dropped = false; window.fetch = async (...a) => { \
          const r = await real(...a); \
          const m = (a[0] && a[0].method) || (a[1] && a[1].method); if (!dropped && m === 'POST') { dropped = true; throw new TypeError('network lost'); } \
          return r; }; return 1")
        .await?;
    b.button("OK").await?.click().await?;
    b.find("//*[@role='dialog']//*[@role='alert' and contains(., 'could not be reached')]").await?;
    let after_lost = b.snapshots("cn-north-1").await?;
    ensure(after_lost.len() == 1, format!("the lost request created one: {after_lost:?}"))?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    let all = b.snapshots("cn-north-1").await?;
    ensure(all.len() == 1, format!("exactly one snapshot after the retry: {all:?}"))?;
    ensure(all[0]["name"] == "kept-name" && all[0]["description"] == "kept description", "with the inputs")?;

    b.close().await;
    server.stop().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{db}{suffix}"));
    }
    Ok(())
}

#[tokio::test]
async fn edit_delete_and_batch_delete_from_the_snapshot_list_and_text_stays_text() -> Result {
    let server = Server::start(&FAST).await?;
    let b = Browser::start().await?;
    b.watch_errors().await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    let free = b.disks_with_status("cn-north-1", "available").await?;
    let disk_id = free[0]["diskId"].as_str().unwrap().to_owned();
    for (n, token) in [("alpha", "e1"), ("beta", "e2"), ("gamma", "e3")] {
        b.create_snapshot("cn-north-1", &disk_id, n, token).await?;
    }
    b.js("window.__xss = 0; return 1").await?;
    b.reload().await?;
    eventually_within(Duration::from_secs(20), || async {
        let n = b.js("return [...document.querySelectorAll('tbody tr')].filter(r => r.innerText.includes('Available')).length").await?;
        ensure(n == 3, format!("{n} available"))
    })
    .await?;

    // Edit: a description with markup is shown as text and never runs.
    b.find(&format!("{}//button[normalize-space()='Edit']", row("alpha"))).await?.click().await?;
    b.dialog("Edit Snapshot").await?;
    let name = b.field("Name").await?;
    name.clear().await?;
    name.send_keys("alpha-2").await?;
    let xss = "<img src=x onerror=\"window.__xss=1\">";
    b.field("Description").await?.send_keys(xss).await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    b.find(&format!("{}//td[normalize-space()={}]", row("alpha-2"), xpath_str(xss))).await?;
    b.reload().await?;
    b.find(&format!("{}//td[normalize-space()={}]", row("alpha-2"), xpath_str(xss))).await?;
    ensure(
        b.js("return document.querySelectorAll('tbody img').length").await? == 0,
        "no element made from text",
    )?;
    ensure(b.js("return window.__xss || 0").await? == 0, "no script ran")?;

    // Delete one, confirming.
    b.find(&format!("{}//button[normalize-space()='Delete']", row("beta"))).await?.click().await?;
    let confirm = b.dialog("Delete Snapshot?").await?;
    let text = confirm.text().await?;
    ensure(text.contains("beta") && text.contains("cannot be undone"), format!("confirmation says {text}"))?;
    b.find("//*[@role='dialog']//button[normalize-space()='Delete']").await?.click().await?;
    b.no_dialog().await?;
    eventually_within(Duration::from_secs(15), || async {
        ensure(!b.row_names().await?.iter().any(|r| r.contains("beta")), "beta still listed")
    })
    .await?;

    // Batch delete the other two.
    for n in ["alpha-2", "gamma"] {
        b.find(&format!("//input[@type='checkbox' and @aria-label='Select {n}']")).await?.click().await?;
    }
    b.button("Delete Selected (2)").await?.click().await?;
    b.dialog("Delete 2 Snapshots?").await?;
    b.find("//*[@role='dialog']//button[normalize-space()='Delete']").await?.click().await?;
    b.no_dialog().await?;
    eventually_within(Duration::from_secs(15), || async {
        ensure(b.snapshots("cn-north-1").await?.is_empty(), "all deleted at the API")
    })
    .await?;
    b.sees("0 of 15 snapshots used in cn-north-1").await?;
    // The deleted rows' effects do not outlive their snapshots' signals (the store lets go of them a second
    // after they are gone): nothing traps afterwards.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let errors = b.page_errors().await?;
    ensure(errors.is_empty(), format!("page errors after the deletes: {errors:?}"))?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn unknown_disk_failed_snapshot_retry_deleted_source_and_filters() -> Result {
    let server = Server::start(&[
        "--snapshot-failure-rate",
        "1",
        "--snapshot-gib-per-sec",
        "100000",
        "--snapshot-min-seconds",
        "2",
        "--operation-seconds",
        "1",
    ])
    .await?;
    let b = Browser::start().await?;

    // An unknown disk: a clear page with a way back.
    b.goto(&server.url("/disks/vol-zzzzzzzzzz?region=cn-north-1")).await?;
    b.find("//h1[normalize-space()='Disk not found']").await?;
    b.find("//a[normalize-space()='Back to the disk list']").await?.click().await?;
    eventually(|| async { ensure(b.location().await? == "/disks?region=cn-north-1", "back on the list") })
        .await?;

    // A snapshot that fails: an error toast whose Retry reopens the dialog with the same inputs.
    let free = b.disks_with_status("cn-north-1", "available").await?;
    let postpaid: Vec<&Value> =
        free.iter().filter(|d| d["charge"]["chargeMode"] == "postpaid_by_duration").collect();
    let (doomed_disk, other_disk) =
        (postpaid[0]["diskId"].as_str().unwrap(), postpaid[1]["diskId"].as_str().unwrap());
    b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(doomed_disk)))
        .await?
        .click()
        .await?;
    b.dialog("Create Snapshot").await?;
    b.keys("doomed-1").await?;
    b.field("Description").await?.send_keys("first try").await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    // The first look may wait up to 15 s: the console does not poll long before a disk of this size can be done.
    let toast_path =
        "//*[@role='alert']//*[contains(normalize-space(), 'Snapshot doomed-1 could not be created')]/..";
    let toast = eventually_within(Duration::from_secs(30), || async {
        Ok(b.client.find(fantoccini::Locator::XPath(toast_path)).await?)
    })
    .await?;
    toast.find(fantoccini::Locator::XPath(".//button[normalize-space()='Retry']")).await?.click().await?;
    b.dialog("Create Snapshot").await?;
    ensure(
        b.field("Name").await?.prop("value").await?.as_deref() == Some("doomed-1"),
        "name kept for the retry",
    )?;
    ensure(
        b.field("Description").await?.prop("value").await?.as_deref() == Some("first try"),
        "description kept",
    )?;
    b.button("Cancel").await?.click().await?;
    b.no_dialog().await?;
    b.create_snapshot("cn-north-1", other_disk, "other-2", "other-2").await?;
    eventually(|| async {
        let all = b.snapshots("cn-north-1").await?;
        ensure(all.iter().all(|s| s["status"] == "error_create"), "both have failed")
    })
    .await?;

    // The source disk is deleted: the snapshot stays, and says so.
    b.client
        .execute_async(
            "const [url, done] = arguments; fetch(url, {method: 'DELETE'}).then(r => r.json()).then(done)",
            vec![Value::from(format!("/v1/regions/cn-north-1/disks/{doomed_disk}"))],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    b.find(&format!("{}//td[contains(normalize-space(), '(deleted)')]", row("doomed-1"))).await?;
    b.find(&format!("{}//td//a", row("other-2"))).await?;

    // Filters by name and status, kept in the URL.
    b.field("Search by name").await?.send_keys("doomed").await?;
    b.button("Filter").await?.click().await?;
    eventually(|| async {
        let rows = b.row_names().await?;
        ensure(rows.len() == 1 && rows[0].contains("doomed-1"), format!("{rows:?}"))
    })
    .await?;
    b.goto(&server.url("/snapshots?region=cn-north-1&status=error_create")).await?;
    eventually(|| async {
        let rows = b.row_names().await?;
        let api = b.snapshots("cn-north-1").await?;
        let api: Vec<(String, String)> =
            api.iter().map(|s| (s["name"].to_string(), s["status"].to_string())).collect();
        ensure(rows.len() == 2, format!("both failed snapshots: {rows:?}, API: {api:?}"))
    })
    .await?;
    b.find("//tr[.//*[normalize-space()='Creation failed']]").await?;
    b.goto(&server.url("/snapshots?region=cn-north-1&status=available")).await?;
    b.sees("No snapshots in cn-north-1 match.").await?;

    b.close().await;
    server.stop().await;
    Ok(())
}
