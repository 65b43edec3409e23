//! Components in a real browser (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use disk_console::api::ApiError;
use disk_console::components::error_view::ErrorView;
use disk_console::components::pager::Pager;
use disk_console::components::status_badge::StatusBadge;
use disk_console::format::{disk_status, Tone};
use disk_console::router::{provide_router, Link};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document to mount into.
fn host() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn buttons(root: &web_sys::HtmlElement) -> Vec<web_sys::HtmlButtonElement> {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
}

fn button(root: &web_sys::HtmlElement, name: &str) -> web_sys::HtmlButtonElement {
    buttons(root)
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button {name:?} in {}", root.inner_html()))
}

#[wasm_bindgen_test]
async fn status_badge_is_text_not_only_colour() {
    let root = host();
    let (label, tone) = disk_status(&disk_api::DiskStatus::InUse);
    let (status, set_status) = signal((label, tone));
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <StatusBadge label=Signal::derive(move || status.get().0) tone=Signal::derive(move || status.get().1) /> }
    });
    tick().await;
    let badge = root.query_selector("span").unwrap().unwrap();
    assert_eq!(badge.text_content().unwrap(), "In use");
    assert!(badge.class_name().contains("dc-badge--ok"));
    set_status.set(("Extension failed".into(), Tone::Bad));
    tick().await;
    let same = root.query_selector("span").unwrap().unwrap();
    assert_eq!(same.text_content().unwrap(), "Extension failed");
    assert!(same.class_name().contains("dc-badge--bad"));
    assert!(badge.is_same_node(Some(&same)), "a status change updates the badge in place");
}

#[wasm_bindgen_test]
async fn pager_disables_the_ends_and_reports_pages() {
    let root = host();
    let (went, set_went) = signal(Vec::<u32>::new());
    let (sized, set_sized) = signal(None::<u32>);
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Pager page=1 page_size=10 total=14
                on_page=move |p| set_went.update(|v| v.push(p))
                on_page_size=move |s| set_sized.set(Some(s)) />
        }
    });
    tick().await;
    assert!(root.text_content().unwrap().contains("1–10 of 14"));
    assert!(root.text_content().unwrap().contains("Page 1 of 2"));
    assert!(button(&root, "Previous").disabled());
    let next = button(&root, "Next");
    assert!(!next.disabled());
    next.click();
    assert_eq!(went.get_untracked(), vec![2]);

    let select: web_sys::HtmlSelectElement = root.query_selector("select").unwrap().unwrap().unchecked_into();
    assert_eq!(select.value(), "10");
    select.set_value("50");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    assert_eq!(sized.get_untracked(), Some(50));
}

#[wasm_bindgen_test]
async fn pager_on_the_last_page() {
    let root = host();
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <Pager page=2 page_size=10 total=14 on_page=|_| {} on_page_size=|_| {} /> }
    });
    tick().await;
    assert!(root.text_content().unwrap().contains("11–14 of 14"));
    assert!(!button(&root, "Previous").disabled());
    assert!(button(&root, "Next").disabled());
}

#[wasm_bindgen_test]
async fn error_view_shows_what_support_needs_and_retries() {
    let root = host();
    let (retries, set_retries) = signal(0);
    let error = ApiError::Api {
        code: 400,
        status: "INVALID_ARGUMENT".into(),
        message: "Invalid region 'cn-west-9'".into(),
        request_id: "abc123".into(),
    };
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <ErrorView title="Could not load disks" error=error.clone() on_retry=move || set_retries.update(|n| *n += 1) /> }
    });
    tick().await;
    let alert = root.query_selector("[role=alert]").unwrap().expect("an alert");
    let text = alert.text_content().unwrap();
    for part in
        ["Could not load disks", "Invalid region 'cn-west-9'", "HTTP 400 · INVALID_ARGUMENT", "abc123"]
    {
        assert!(text.contains(part), "{part:?} missing from {text:?}");
    }
    button(&root, "Retry").click();
    assert_eq!(retries.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn error_view_never_renders_a_message_as_html() {
    let root = host();
    let error = ApiError::Api {
        code: 400,
        status: "INVALID_ARGUMENT".into(),
        message: "<img src=x onerror=alert(1)>".into(),
        request_id: String::new(),
    };
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <ErrorView title="t" error=error.clone() on_retry=|| {} /> }
    });
    tick().await;
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(root.text_content().unwrap().contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn links_navigate_without_reloading() {
    let root = host();
    let start = window().location().href().unwrap();
    let (seen, set_seen) = signal(String::new());
    let _h = leptos::mount::mount_to(root.clone(), move || {
        let router = provide_router();
        Effect::new(move || set_seen.set(router.url().path));
        view! { <Link href="/disks?region=cn-east-2" current_when="/disks">"Disks"</Link> }
    });
    tick().await;
    let a: web_sys::HtmlElement = root.query_selector("a").unwrap().unwrap().unchecked_into();
    assert_eq!(a.get_attribute("href").as_deref(), Some("/disks?region=cn-east-2"));
    a.click();
    tick().await;
    assert_eq!(window().location().pathname().unwrap(), "/disks");
    assert_eq!(seen.get_untracked(), "/disks");
    assert_eq!(a.get_attribute("aria-current").as_deref(), Some("page"));
    // Put the test page back where it was.
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&start))
        .unwrap();
}
