//! Faults the console must survive, in a real browser: a list that fails to load, a createSnapshot whose
//! answer is lost (503 after the snapshot was made), a watcher under 30 % failed answers, and the server
//! killed and started again on the same port. The emulator injects the faults (`--fault-rate`,
//! `--fault-route`); its database is a file, so a restart keeps the region.

use e2e::{ensure, row, Browser, Result, Server};
use std::time::Duration;

fn db(name: &str) -> String {
    e2e::temp_db("faults", name)
}

#[tokio::test]
async fn a_list_that_fails_to_load_shows_jds_message_and_retry_works() -> Result {
    let db = db("list");
    let server =
        Server::start(&["--db", &db, "--fault-rate", "1", "--fault-route", r"^GET .*/disks(\?|$)"]).await?;
    let addr = server.addr().to_owned();
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let card = b.find("//*[@role='alert'][h2[normalize-space()='Could not load disks']]").await?;
    let text = card.text().await?;
    ensure(text.contains("Injected fault"), format!("JD's message is shown: {text}"))?;
    ensure(text.contains("Request ID"), format!("and the request ID: {text}"))?;
    server.stop().await;
    let server = Server::start_at(&addr, &["--db", &db]).await?;
    b.button("Retry").await?.click().await?;
    b.find("//table//th[@scope='row']").await?;
    b.close().await;
    server.stop().await;
    e2e::remove_db(&db);
    Ok(())
}

#[tokio::test]
async fn a_lost_create_answer_keeps_the_dialog_and_ok_again_makes_exactly_one_snapshot() -> Result {
    let db = db("create");
    let faulty = ["--db", db.as_str(), "--fault-rate", "1", "--fault-route", "^POST .*/snapshots$"];
    let server = Server::start(&faulty).await?;
    let addr = server.addr().to_owned();
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disk = b.disks_with_status("cn-north-1", "available").await?.into_iter().next().ok_or("no disk")?;
    let disk_id = disk["diskId"].as_str().unwrap().to_owned();
    b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?.click().await?;
    let dialog = b.dialog("Create Snapshot").await?;
    b.keys("lost-answer").await?;
    b.field("Description").await?.send_keys("kept through a 503").await?;
    b.button("OK").await?.click().await?;
    // The error is where the user looks, in the dialog, which stays open with what was typed.
    let alert = b.find("//*[@role='dialog']//*[@role='alert']").await?;
    let text = alert.text().await?;
    ensure(text.contains("Injected fault"), format!("the dialog says what failed: {text}"))?;
    ensure(dialog.is_displayed().await?, "the dialog stays open")?;
    let name = b.field("Name").await?.prop("value").await?.unwrap_or_default();
    let description = b.field("Description").await?.prop("value").await?.unwrap_or_default();
    ensure(
        name == "lost-answer" && description == "kept through a 503",
        format!("input kept: {name:?} {description:?}"),
    )?;
    // The snapshot was made although its answer was lost; OK again (same clientToken) makes no second one.
    server.stop().await;
    let server = Server::start_at(&addr, &["--db", &db]).await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    let named: Vec<_> =
        b.snapshots("cn-north-1").await?.into_iter().filter(|s| s["name"] == "lost-answer").collect();
    ensure(named.len() == 1, format!("exactly one snapshot: {named:?}"))?;
    b.close().await;
    server.stop().await;
    e2e::remove_db(&db);
    Ok(())
}

#[tokio::test]
async fn the_watcher_under_faults_and_a_restart_recovers_by_itself() -> Result {
    let db = db("watch");
    let fast = ["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "8"];
    // The watcher's polls (describeSnapshots by snapshotId) fail 30 % of the time; the page's own list does not.
    let mut faulty = vec![
        "--db",
        db.as_str(),
        "--fault-rate",
        "0.3",
        "--fault-route",
        r"^GET .*/snapshots\?.*filters\.1\.name=snapshotId",
    ];
    faulty.extend(fast);
    let server = Server::start(&faulty).await?;
    let addr = server.addr().to_owned();
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    let disks = b.disks_with_status("cn-north-1", "available").await?;
    let disk = disks[0]["diskId"].as_str().unwrap().to_owned();
    for i in 0..3 {
        b.create_snapshot("cn-north-1", &disk, &format!("flaky-{i}"), &format!("flaky-{i}")).await?;
    }
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    // Every row reaches Available although some polls fail. Failed polls back off (doubling to 30 s), so
    // three failures in a row (about one run in twenty at 30 %) push the next look past 45 s: 90 s allows
    // for that, and still fails a watcher that gave up.
    for i in 0..3 {
        b.row_shows(&format!("flaky-{i}"), "Available", Duration::from_secs(90)).await?;
    }

    // The server dies and comes back on the same port: no reload, no Retry pressed.
    b.create_snapshot("cn-north-1", &disk, "after-restart", "after-restart").await?;
    b.reload().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("after-restart"))).await?;
    b.mark_page().await?;
    server.stop().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut healthy = vec!["--db", db.as_str()];
    healthy.extend(fast);
    let server = Server::start_at(&addr, &healthy).await?;
    b.row_shows("after-restart", "Available", Duration::from_secs(60)).await?;
    b.no_paused_banner().await?;
    b.not_reloaded().await?;
    b.close().await;
    server.stop().await;
    e2e::remove_db(&db);
    Ok(())
}

#[tokio::test]
async fn offline_and_back_online_recovers_by_itself() -> Result {
    let server = Server::start(&["--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "15"]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    let disk =
        b.disks_with_status("cn-north-1", "available").await?[0]["diskId"].as_str().unwrap().to_owned();
    b.create_snapshot("cn-north-1", &disk, "through-offline", "through-offline").await?;
    b.reload().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("through-offline"))).await?;
    b.mark_page().await?;

    // Offline (the browser's own network emulation): the watcher says so.
    b.set_offline(true).await?;
    let text = b.paused_banner(Duration::from_secs(40)).await?;
    ensure(text.contains("could not be reached"), format!("the banner says why: {text}"))?;

    // Back online: the row reaches Available and the banner goes, with no reload and no Retry pressed.
    b.set_offline(false).await?;
    b.row_shows("through-offline", "Available", Duration::from_secs(60)).await?;
    b.no_paused_banner().await?;
    b.not_reloaded().await?;
    ensure(
        b.page_errors().await?.iter().all(|e| !e.contains("unreachable")),
        "no trap in the wasm on the way",
    )?;
    b.close().await;
    server.stop().await;
    Ok(())
}

/// A trap in the wasm (a panic in the release build is a bare `unreachable`): the console's place shows what
/// happened and Reload, instead of a page that silently stops answering; Reload brings the console back.
#[tokio::test]
async fn a_trap_in_the_wasm_shows_what_happened_and_reload_brings_the_console_back() -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.find("//table//th[@scope='row']").await?;
    // From a timer, as a click handler's panic would: the error reaches the window, not a caller.
    b.js("import(document.querySelector('link[rel=modulepreload]').href).then(m => setTimeout(() => m.__disk_console_trap_for_tests())); return 1")
        .await?;
    let card = b.find("//*[@role='alert'][h2[normalize-space()='The console stopped working']]").await?;
    ensure(card.text().await?.contains("Reload to start again"), "the card says what to do")?;
    e2e::eventually(|| async { ensure(b.focused().await? == "Reload", "focus on Reload") }).await?;
    ensure(b.js("return document.querySelectorAll('table').length").await? == 0, "the dead view is gone")?;
    b.button("Reload").await?.click().await?;
    b.find("//table//th[@scope='row']").await?;
    b.close().await;
    server.stop().await;
    Ok(())
}

/// The parts of the console fetched on demand (the release build is split): where one cannot be fetched,
/// the page says so where its content goes, with Retry, and the Create Snapshot dialog's failure is a toast
/// with Retry; once the part can be fetched, Retry brings it, with no reload.
#[tokio::test]
async fn a_part_that_cannot_be_fetched_says_so_and_retry_brings_it() -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;
    b.watch_errors().await?;
    b.cdp("Network.enable", serde_json::json!({})).await?;
    let block = |urls: &[&str]| b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": urls }));
    block(&["*split_disk_detail*", "*split_create_snapshot*"]).await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.mark_page().await?;

    // The detail page's module is blocked: its place says so.
    b.find("//table//tbody//tr[1]//th//a").await?.click().await?;
    let card = b
        .find(
            "//main//*[@role='alert'][h2[normalize-space()='This part of the console could not be loaded']]",
        )
        .await?;
    ensure(card.text().await?.contains("tries again by itself"), "the message says what happens")?;
    b.button("Retry").await?.click().await?;
    b.find("//main//*[@role='alert']//button[normalize-space()='Retry']").await?;
    // Fetchable again (the dialog's module still not): the page comes by itself, no Retry pressed.
    block(&["*split_create_snapshot*"]).await?;
    e2e::eventually_within(Duration::from_secs(15), || async {
        ensure(
            b.js("return !!document.querySelector('main .dc-menu, main h1')").await? == true,
            "no page yet",
        )
    })
    .await?;
    b.find("//main//button[normalize-space()='Actions']").await?;

    // Back on the list, the dialog's module is still blocked: a toast says so, with Retry.
    b.client.back().await?;
    b.find("//table//th[@scope='row']").await?;
    let create = "//table//tbody//tr[.//td[normalize-space()='Available' or normalize-space()='In use']][1]//button[normalize-space()='Create Snapshot']";
    b.find(create).await?.click().await?;
    b.find("//*[contains(@class,'dc-toast')][contains(., 'This part of the console could not be loaded')]")
        .await?;
    b.no_dialog().await?;
    block(&[]).await?;
    b.find("//*[contains(@class,'dc-toast')]//button[normalize-space()='Retry']").await?.click().await?;
    b.dialog("Create Snapshot").await?;
    b.not_reloaded().await?;
    ensure(
        b.page_errors().await?.iter().all(|e| !e.contains("unreachable")),
        "no trap in the wasm on the way",
    )?;
    b.close().await;
    server.stop().await;
    Ok(())
}
