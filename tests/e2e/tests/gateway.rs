//! The console against "the real cloud": the browser → disk-server as a signing gateway (bearer tokens) →
//! a signature-checking emulator playing JD Cloud. Method 1 and Method 2 with live status for an operator;
//! the changing actions disabled, with the reason, for a viewer.

use e2e::{ensure, keys, row, xpath_str, Browser, Result, Server};
use serde_json::{json, Value};
use sha2::Digest;
use std::time::Duration;

const AK: &str = "AKE2EGATEWAY0001";
const SK: &str = "e2e-gateway-secret";

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("dc-e2e-gateway-{}-{name}", std::process::id()))
}

fn shot(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots")).join(name)
}

fn sha_hex(s: &str) -> String {
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A gateway to `cloud` whose console sends `token` (as a portal would configure it).
async fn gateway(cloud: &Server, tokens: &std::path::Path, token: &str) -> Result<Server> {
    let config = temp(&format!("{token}.json"));
    std::fs::write(&config, json!({"bearerToken": token}).to_string())?;
    Server::start_with_env(
        "127.0.0.1:0",
        &[
            "--backend",
            "jdcloud",
            "--jdcloud-endpoint",
            &cloud.base,
            "--auth-tokens",
            tokens.to_str().unwrap(),
            "--console-config",
            config.to_str().unwrap(),
        ],
        &[("JDCLOUD_ACCESS_KEY_ID", AK), ("JDCLOUD_ACCESS_KEY_SECRET", SK)],
    )
    .await
}

/// The API through the gateway, from the page, with a bearer token.
async fn api_as(b: &Browser, token: &str, path: &str) -> Result<Value> {
    Ok(b.client
        .execute_async(
            "const [path, token, done] = arguments; fetch(path, {headers: {authorization: 'Bearer ' + token}}).then(r => r.json()).then(done, e => done({fetchError: String(e)}))",
            vec![json!(path), json!(token)],
        )
        .await?)
}

async fn available_disk(b: &Browser, token: &str) -> Result<(String, String)> {
    let v = api_as(b, token, "/v1/regions/cn-north-1/disks?pageSize=100").await?;
    let d = v["result"]["disks"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["status"] == "available"))
        .ok_or_else(|| format!("no available disk: {v}"))?;
    Ok((d["diskId"].as_str().unwrap().to_owned(), d["name"].as_str().unwrap().to_owned()))
}

async fn becomes_available(b: &Browser, name: &str) -> Result {
    b.row_shows(name, "Available", Duration::from_secs(20)).await
}

#[tokio::test]
async fn through_the_gateway_an_operator_creates_snapshots_and_a_viewer_only_looks() -> Result {
    let cloud = Server::start_with_env(
        "127.0.0.1:0",
        &["--verify-signatures", "--snapshot-gib-per-sec", "100000", "--snapshot-min-seconds", "3"],
        &[("JDCLOUD_ACCESS_KEY_ID", AK), ("JDCLOUD_ACCESS_KEY_SECRET", SK)],
    )
    .await?;
    let tokens = temp("tokens");
    std::fs::write(
        &tokens,
        format!("alice operator {}\nbob viewer {}\n", sha_hex("alice-e2e-token"), sha_hex("bob-e2e-token")),
    )?;
    let operator = gateway(&cloud, &tokens, "alice-e2e-token").await?;
    let viewer = gateway(&cloud, &tokens, "bob-e2e-token").await?;
    let b = Browser::start().await?;

    // The operator: the header says who is signed in, not "Emulated region".
    b.goto(&operator.url("/disks?region=cn-north-1")).await?;
    b.find("//header//*[normalize-space()='alice · operator']").await?;
    let header = b.find("//header").await?.text().await?;
    ensure(!header.contains("Emulated region"), format!("header: {header}"))?;
    let (disk_id, disk_name) = available_disk(&b, "alice-e2e-token").await?;

    // Method 1: the row's Create Snapshot.
    b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?.click().await?;
    b.dialog("Create Snapshot").await?;
    b.keys("gw-m1").await?;
    b.button("OK").await?.click().await?;
    b.no_dialog().await?;
    b.find(&format!("{}//a", row(&disk_id))).await?.click().await?;
    b.find(&format!("//h1[normalize-space()={}]", xpath_str(&disk_name))).await?;
    becomes_available(&b, "gw-m1").await?;

    // Method 2: Actions → Create Snapshot on the detail page.
    b.button("Actions").await?.click().await?;
    b.find("//*[@role='menu']//*[@role='menuitem' and normalize-space()='Create Snapshot']")
        .await?
        .click()
        .await?;
    b.dialog("Create Snapshot").await?;
    b.keys("gw-m2").await?;
    b.keys(keys::ENTER).await?;
    b.no_dialog().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("gw-m2"))).await?;
    becomes_available(&b, "gw-m2").await?;
    b.screenshot(&shot("gateway-operator.png")).await?;
    let cloud_view = api_as(&b, "alice-e2e-token", "/v1/regions/cn-north-1/snapshots").await?;
    ensure(cloud_view["result"]["totalCount"] == 2, format!("{cloud_view}"))?;

    // The viewer, through another gateway instance over the same cloud: sees them, cannot change anything.
    let reason =
        "Your role (viewer) can only look: creating, editing, deleting and detaching need the operator role.";
    b.goto(&viewer.url("/disks?region=cn-north-1")).await?;
    b.find("//header//*[normalize-space()='bob · viewer']").await?;
    b.sees(reason).await?;
    b.screenshot(&shot("gateway-viewer.png")).await?;
    let create = b.find(&format!("{}//button[normalize-space()='Create Snapshot']", row(&disk_id))).await?;
    ensure(!create.is_enabled().await?, "Create Snapshot is disabled for a viewer")?;
    // The reason is the page's read-only note, which the button points at.
    let note = create.attr("aria-describedby").await?.ok_or("the button points at no reason")?;
    let text = b.js(&format!("return document.getElementById({note:?}).textContent")).await?;
    ensure(text.as_str() == Some(reason), format!("with the reason: {text}"))?;
    b.find(&format!("{}//a", row(&disk_id))).await?.click().await?;
    b.button("Actions").await?.click().await?;
    let item =
        b.find("//*[@role='menu']//*[@role='menuitem' and normalize-space()='Create Snapshot']").await?;
    ensure(item.attr("aria-disabled").await?.as_deref() == Some("true"), "the menu item is disabled")?;
    ensure(item.attr("title").await?.as_deref() == Some(reason), "with the reason")?;
    b.keys(keys::ESCAPE).await?;
    b.find("//nav//a[normalize-space()='Snapshots']").await?.click().await?;
    for name in ["gw-m1", "gw-m2"] {
        for action in ["Edit", "Delete"] {
            let button = b.find(&format!("{}//button[normalize-space()='{action}']", row(name))).await?;
            ensure(!button.is_enabled().await?, format!("{action} {name} is disabled for a viewer"))?;
        }
    }
    // And the gateway would refuse it anyway.
    let refused = b
        .client
        .execute_async(
            "const [done] = arguments; fetch('/v1/regions/cn-north-1/snapshots', {method: 'POST', headers: {authorization: 'Bearer bob-e2e-token', 'content-type': 'application/json'}, body: '{}'}).then(r => r.json()).then(done)",
            vec![],
        )
        .await?;
    ensure(refused["error"]["code"] == 403, format!("{refused}"))?;

    b.close().await;
    for s in [operator, viewer, cloud] {
        s.stop().await;
    }
    Ok(())
}

#[tokio::test]
async fn a_token_revoked_mid_session_is_said_plainly_without_a_retry_storm() -> Result {
    let cloud = Server::start_with_env(
        "127.0.0.1:0",
        &["--verify-signatures", "--snapshot-gib-per-sec", "0.001", "--snapshot-min-seconds", "600"],
        &[("JDCLOUD_ACCESS_KEY_ID", AK), ("JDCLOUD_ACCESS_KEY_SECRET", SK)],
    )
    .await?;
    let tokens = temp("revoke-tokens");
    std::fs::write(&tokens, format!("carol operator {}\n", sha_hex("carol-e2e-token")))?;
    let gw = gateway(&cloud, &tokens, "carol-e2e-token").await?;
    let b = Browser::start().await?;
    b.goto(&gw.url("/snapshots?region=cn-north-1")).await?;
    let (disk, _) = available_disk(&b, "carol-e2e-token").await?;
    // A snapshot that takes long: the watcher keeps polling for it.
    b.client
        .execute_async(
            "const [disk, done] = arguments; fetch('/v1/regions/cn-north-1/snapshots', {method: 'POST', headers: {authorization: 'Bearer carol-e2e-token', 'content-type': 'application/json'}, body: JSON.stringify({clientToken: 'slow-1', snapshotSpec: {name: 'slow-one', diskId: disk}})}).then(r => r.json()).then(done)",
            vec![json!(disk)],
        )
        .await?;
    b.reload().await?;
    b.find(&format!("{}//*[normalize-space()='Creating']", row("slow-one"))).await?;
    b.js("window.__calls = 0; const real = window.fetch; window.fetch = (...a) => { window.__calls++; return real(...a); }; return 1").await?;

    // The operator's token is revoked at the gateway: the file without carol, and SIGHUP.
    std::fs::write(&tokens, format!("dave viewer {}\n", sha_hex("dave-e2e-token")))?;
    let pid = gw.pid().ok_or("no gateway pid")?;
    ensure(
        std::process::Command::new("kill").args(["-HUP", &pid.to_string()]).status()?.success(),
        "SIGHUP sent",
    )?;
    let text = b.paused_banner(Duration::from_secs(40)).await?;
    ensure(
        text.contains("The bearer token is not one of this gateway's"),
        format!("a clear message: {text}"),
    )?;
    // No retry storm: the watcher backs off (doubling, up to 30 s) instead of hammering the gateway.
    let before = b.js("return window.__calls").await?.as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_secs(20)).await;
    let after = b.js("return window.__calls").await?.as_u64().unwrap_or(0);
    ensure(after - before <= 3, format!("{} requests in 20 s after the refusal", after - before))?;
    b.close().await;
    gw.stop().await;
    cloud.stop().await;
    Ok(())
}
