//! Languages: the whole create-snapshot flow in Simplified Chinese, the header's switcher (remembered across
//! reloads), and the locale from the run-time configuration.

use e2e::{eventually, row, Browser, Result, Server};

#[tokio::test]
async fn the_create_snapshot_flow_in_chinese_with_the_switcher_remembered() -> Result {
    let server = Server::start(&["--snapshot-gib-per-sec", "100", "--snapshot-min-seconds", "2"]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.find("//h1[normalize-space()='Cloud Disks']").await?;

    // Switch in the header; the page reads in Chinese at once, and after a reload.
    b.find("//header//select[option[normalize-space()='简体中文']]").await?.select_by_value("zh-CN").await?;
    b.find("//h1[normalize-space()='云硬盘']").await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.find("//h1[normalize-space()='云硬盘']").await?;
    b.find("//*[contains(@class,'dc-app') and @lang='zh-CN']").await?;
    // The standalone page's own title and language follow.
    let page = b.js("return document.title + ' ' + document.documentElement.lang").await?;
    e2e::ensure(page == "云硬盘 · 云硬盘控制台 zh-CN", format!("page title and lang: {page}"))?;
    b.find("//th[normalize-space()='操作']").await?;

    // Method 1 (the list's Actions column): 创建快照 opens the dialog with the guidance in Chinese.
    let disks = b.disks_with_status("cn-north-1", "available").await?;
    let disk = disks[0]["diskId"].as_str().unwrap_or_default().to_owned();
    b.find(&format!("{}//button[normalize-space()='创建快照']", row(&disk))).await?.click().await?;
    let dialog = b.dialog("创建快照").await?;
    let text = dialog.text().await?;
    for words in ["创建快照前请停止向云硬盘写入数据", "手动快照在云硬盘删除后仍会保留", "容量越大，耗时越长"]
    {
        e2e::ensure(text.contains(words), format!("the dialog lacks {words:?}: {text}"))?;
    }
    // A bad name gets its reason in Chinese, and the input is kept.
    let name = b.field("名称").await?;
    name.send_keys("坏 名字").await?;
    b.sees("不允许使用“ ”").await?;
    name.clear().await?;
    name.send_keys("中文快照-1").await?;
    b.field("描述").await?.send_keys("来自列表").await?;
    b.button("确定").await?.click().await?;
    b.no_dialog().await?;
    b.sees("正在创建快照 中文快照-1").await?;

    // The disk's page (its Actions menu, top right, is Method 2) shows the snapshot becoming available by
    // itself, in Chinese.
    b.find(&format!("{}//a", row(&disk))).await?.click().await?;
    b.find(&format!("{}//*[normalize-space()='可用']", row("中文快照-1"))).await?;
    b.sees("快照 中文快照-1 已可用").await?;
    b.button("操作").await?.click().await?;
    b.find("//*[@role='menuitem' and normalize-space()='创建快照']").await?.click().await?;
    b.dialog("创建快照").await?;
    b.button("取消").await?.click().await?;
    b.no_dialog().await?;

    // Back to English: the choice is remembered the same way.
    b.find("//header//select[option[normalize-space()='English']]").await?.select_by_value("en").await?;
    b.find("//h2[normalize-space()='Basic information']").await?;
    b.goto(&server.url("/snapshots?region=cn-north-1")).await?;
    b.find("//h1[normalize-space()='Snapshots']").await?;
    b.close().await;
    Ok(())
}

#[tokio::test]
async fn the_locale_and_theme_come_from_the_configuration() -> Result {
    let file = std::env::temp_dir().join(format!("console-config-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"locale": "zh-CN", "theme": "dark", "regions": ["cn-east-2", "cn-north-1"]}"#)?;
    let server = Server::start(&["--console-config", file.to_str().unwrap_or_default()]).await?;
    let b = Browser::start().await?;
    b.goto(&server.url("/")).await?;
    b.find("//h1[normalize-space()='云硬盘']").await?;
    b.find("//*[contains(@class,'dc-app') and @data-theme='dark']").await?;
    // The configured regions, the first being the default.
    let options = b
        .js("return [...document.querySelectorAll('.dc-region:not(.dc-lang) option')].map(o => o.value)")
        .await?;
    e2e::ensure(
        options == serde_json::json!(["cn-east-2", "cn-north-1"]),
        format!("regions offered: {options}"),
    )?;
    eventually(|| async {
        let at = b.location().await?;
        e2e::ensure(at.starts_with("/disks"), format!("at {at}"))
    })
    .await?;
    eventually(|| async {
        let shown = b.js("return document.querySelector('.dc-region:not(.dc-lang) select').value").await?;
        e2e::ensure(shown == "cn-east-2", format!("the default region is {shown}, not the first configured"))
    })
    .await?;
    // On its own page the settings came with the page: the console did not fetch the file.
    let fetched = b
        .js("return performance.getEntriesByType('resource').filter(e => e.name.includes('console-config')).length")
        .await?;
    e2e::ensure(fetched == 0, format!("console-config.json fetched {fetched} times"))?;
    b.close().await;
    let _ = std::fs::remove_file(file);
    Ok(())
}

/// The second language is a part of its own: fetched when the console starts in it or switches to it. Where
/// it cannot be fetched the console starts in English and the switcher says so and stays; once the part can
/// be fetched, switching works.
#[tokio::test]
async fn without_the_second_language_s_part_the_console_starts_in_english_and_the_switcher_says_so() -> Result
{
    let file = std::env::temp_dir().join(format!("console-config-zh-{}.json", std::process::id()));
    std::fs::write(&file, r#"{"locale": "zh-CN"}"#)?;
    let server = Server::start(&["--console-config", file.to_str().unwrap_or_default()]).await?;
    let b = Browser::start().await?;
    b.cdp("Network.enable", serde_json::json!({})).await?;
    let block = |urls: &[&str]| b.cdp("Network.setBlockedURLs", serde_json::json!({ "urls": urls }));
    block(&["*split_i18n_zh*"]).await?;
    b.goto(&server.url("/disks?region=cn-north-1")).await?;
    b.find("//h1[normalize-space()='Cloud Disks']").await?;
    b.find("//*[contains(@class,'dc-app') and @lang='en']").await?;

    let select = "//header//select[option[normalize-space()='简体中文']]";
    b.find(select).await?.select_by_value("zh-CN").await?;
    b.find("//*[contains(@class,'dc-toast')][contains(., 'This part of the console could not be loaded')]")
        .await?;
    eventually(|| async {
        let v = b.js("return document.querySelector('header .dc-lang select').value").await?;
        e2e::ensure(v == "en", format!("the switcher shows {v}"))
    })
    .await?;
    b.find("//h1[normalize-space()='Cloud Disks']").await?;

    block(&[]).await?;
    b.find(select).await?.select_by_value("zh-CN").await?;
    b.find("//h1[normalize-space()='云硬盘']").await?;
    b.close().await;
    server.stop().await;
    let _ = std::fs::remove_file(&file);
    Ok(())
}
