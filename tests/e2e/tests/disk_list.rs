//! The disk list in a real browser against the real server.

use e2e::{ensure, eventually, Browser, Result, Server};

/// `(diskId, name)` of one page of describeDisks, asked of the server directly.
async fn api_disks(b: &Browser, region: &str, query: &str) -> Result<(Vec<(String, String)>, u64)> {
    let v = b.api(&format!("/v1/regions/{region}/disks?{query}")).await?;
    let result = &v["result"];
    let disks = result["disks"]
        .as_array()
        .ok_or_else(|| format!("no disks in {v}"))?
        .iter()
        .map(|d| (d["diskId"].as_str().unwrap_or("").to_owned(), d["name"].as_str().unwrap_or("").to_owned()))
        .collect();
    Ok((disks, result["totalCount"].as_u64().unwrap_or(0)))
}

/// Waits until the table shows exactly these disks, in this order.
async fn table_shows(b: &Browser, disks: &[(String, String)]) -> Result {
    eventually(|| async {
        let rows = b.row_names().await?;
        ensure(rows.len() == disks.len(), format!("{} rows, want {}: {rows:?}", rows.len(), disks.len()))?;
        for (row, (id, name)) in rows.iter().zip(disks) {
            ensure(
                row.contains(id.as_str()) && row.contains(name.as_str()),
                format!("row {row:?}, want {name} {id}"),
            )?;
        }
        Ok(())
    })
    .await
}

async fn location_is(b: &Browser, want: &str) -> Result {
    eventually(|| async {
        let at = b.location().await?;
        ensure(at == want, format!("at {at}, want {want}"))
    })
    .await
}

#[tokio::test]
async fn list_region_search_paging_reload_and_deep_link() -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;

    // `/` leads to the disk list of the default region, showing the seeded disks.
    b.goto(&server.url("/")).await?;
    location_is(&b, "/disks").await?;
    let (north, total) = api_disks(&b, "cn-north-1", "pageSize=20").await?;
    ensure(total > 10 && !north.is_empty(), format!("seed of cn-north-1 has {total} disks"))?;
    table_shows(&b, &north).await?;
    let text = b.text().await?;
    for header in ["Name", "Status", "Type", "Capacity", "AZ", "Attached instance", "Created", "Actions"] {
        ensure(text.contains(header), format!("no column {header}"))?;
    }
    ensure(text.contains("In use") && text.contains("Available"), "statuses read as words")?;
    // Nobody mistakes the demo for their account: the header says so, and what it means.
    let tag = b.find("//header//*[starts-with(normalize-space(), 'Emulated region')]").await?;
    ensure(
        tag.attr("title").await?.as_deref()
            == Some("Demo data kept on this server, not your JD Cloud account"),
        "the tag explains itself",
    )?;
    b.screenshot(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/screenshots/disk-list.png"
    )))
    .await?;

    // Switch region.
    b.field("Region").await?.select_by_value("cn-east-2").await?;
    location_is(&b, "/disks?region=cn-east-2").await?;
    let (east, _) = api_disks(&b, "cn-east-2", "").await?;
    table_shows(&b, &east).await?;

    // Search by name: a fragment of one disk's name finds exactly the disks whose names contain it.
    let needle: String = east[0].1.chars().take(3).collect();
    let search = b.field("Search by name").await?;
    search.send_keys(&needle).await?;
    b.button("Search").await?.click().await?;
    let encoded: String = needle
        .bytes()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == b'-' {
                (c as char).to_string()
            } else {
                format!("%{c:02X}")
            }
        })
        .collect();
    location_is(&b, &format!("/disks?region=cn-east-2&name={encoded}")).await?;
    let (found, _) =
        api_disks(&b, "cn-east-2", &format!("filters.1.name=name&filters.1.values.1={encoded}")).await?;
    ensure(!found.is_empty() && found.iter().all(|(_, n)| n.contains(&needle)), "the API finds by fragment")?;
    table_shows(&b, &found).await?;

    // Paging: cn-north-1 at 10 a page, then the second page.
    b.goto(&server.url("/disks?region=cn-north-1&pageSize=10")).await?;
    let (first, total) = api_disks(&b, "cn-north-1", "pageSize=10").await?;
    table_shows(&b, &first).await?;
    ensure(b.text().await?.contains(&format!("1–10 of {total}")), "range shown")?;
    b.button("Next").await?.click().await?;
    location_is(&b, "/disks?region=cn-north-1&page=2&pageSize=10").await?;
    let (second, _) = api_disks(&b, "cn-north-1", "pageSize=10&pageNumber=2").await?;
    table_shows(&b, &second).await?;
    ensure(b.text().await?.contains(&format!("11–{total} of {total}")), "second range shown")?;

    // A reload shows the same view.
    b.reload().await?;
    location_is(&b, "/disks?region=cn-north-1&page=2&pageSize=10").await?;
    table_shows(&b, &second).await?;

    // Back goes to the first page again, without a reload.
    b.client.back().await?;
    location_is(&b, "/disks?region=cn-north-1&pageSize=10").await?;
    table_shows(&b, &first).await?;

    // Page size from the pager.
    b.field("Per page").await?.select_by_value("50").await?;
    location_is(&b, "/disks?region=cn-north-1&pageSize=50").await?;
    let (all, _) = api_disks(&b, "cn-north-1", "pageSize=50").await?;
    table_shows(&b, &all).await?;

    // A deep link opened directly, with the search box filled from the URL.
    b.goto(&server.url(&format!("/disks?region=cn-east-2&name={encoded}"))).await?;
    table_shows(&b, &found).await?;
    let value = b.field("Search by name").await?.prop("value").await?.unwrap_or_default();
    ensure(value == needle, format!("search box shows {value:?}"))?;

    b.close().await;
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn errors_empty_states_and_unknown_pages() -> Result {
    let server = Server::start(&[]).await?;
    let b = Browser::start().await?;

    // An unknown region.
    b.goto(&server.url("/disks?region=cn-west-9")).await?;
    // A region the console does not know: said so, with the known ones offered (no request that must
    // fail; JD's error envelope on a failed load is tested in faults.rs).
    b.find("//h1[normalize-space()='Unknown region']").await?;
    b.sees("The console does not know the region “cn-west-9”").await?;
    b.find("//main//a[contains(., 'cn-north-1')]").await?;

    // A search with no match: an empty state that offers to clear it.
    b.goto(&server.url("/disks?region=cn-north-1&name=no-such-disk-zz")).await?;
    eventually(|| async {
        ensure(
            b.text().await?.contains("No disks in cn-north-1 have a name containing “no-such-disk-zz”"),
            "empty state",
        )
    })
    .await?;
    b.button("Clear Search").await?.click().await?;
    location_is(&b, "/disks?region=cn-north-1").await?;
    let (north, _) = api_disks(&b, "cn-north-1", "").await?;
    table_shows(&b, &north).await?;

    // Any unknown path is the console (deep links work), which says the page does not exist.
    b.goto(&server.url("/no/such/page")).await?;
    b.find("//h1[normalize-space()='Page not found']").await?;

    b.close().await;
    server.stop().await;
    Ok(())
}
