//! Components in a real browser (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use disk_console::api::ApiError;
use disk_console::components::error_view::ErrorView;
use disk_console::components::pager::Pager;
use disk_console::components::status_badge::status_badge;
use disk_console::dom::Raw;
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
    let _h = leptos::mount::mount_to(root.clone(), move || Raw::from(status_badge(move || status.get())));
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
        let router =
            provide_router(&disk_console::config::Config::default(), disk_console::host::Host::new(None));
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

mod dialog {
    use super::*;
    use disk_api::{Disk, Quota};
    use disk_console::api::Client;
    use disk_console::components::create_snapshot::{CreateSnapshotDialog, CreateTarget};
    use disk_console::components::quota::SnapshotQuota;
    use disk_console::components::toasts::Toasts;
    use disk_console::config::Config;
    use disk_console::live::Live;

    /// Mounts the dialog over a disk with a quota of `used` of 15, and a button that had focus before.
    async fn mount(
        used: u32,
        disk: Disk,
    ) -> (
        web_sys::HtmlElement,
        RwSignal<bool>,
        leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
    ) {
        let root = host();
        let opener = document().create_element("button").unwrap().unchecked_into::<web_sys::HtmlElement>();
        opener.set_text_content(Some("Opener"));
        root.append_child(&opener).unwrap();
        opener.focus().unwrap();
        let open = RwSignal::new(true);
        let inner = document().create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
        root.append_child(&inner).unwrap();
        let handle = leptos::mount::mount_to(inner, move || {
            let api = Client::new(&Config::default());
            provide_context(api.clone());
            // The quota note links the snapshot list.
            disk_console::router::provide_router(&Config::default(), disk_console::host::Host::new(None));
            let toasts = Toasts::new();
            provide_context(toasts);
            let live = Live::new(api.clone(), toasts, disk_console::host::Host::new(None));
            provide_context(live);
            provide_context(disk_console::guided::Guided::new(api, live, toasts));
            provide_context(SnapshotQuota(disk_console::task::Load::new(move || async move {
                Ok(Quota { limit: 15, used })
            })));
            let target = CreateTarget {
                region: "cn-north-1".into(),
                disk: disk.clone(),
                name: String::new(),
                description: String::new(),
            };
            view! {
                <Show when=move || open.get()>
                    <CreateSnapshotDialog target=target.clone() on_close=move || open.set(false) />
                </Show>
            }
            .into_any()
        });
        for _ in 0..5 {
            tick().await;
        }
        sleep_ms(50).await;
        (root, open, handle)
    }

    async fn sleep_ms(ms: i32) {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }

    fn disk() -> Disk {
        Disk {
            disk_id: "vol-abcdefghij".into(),
            name: "data".into(),
            disk_size_gb: 500,
            status: disk_api::DiskStatus::Available,
            ..Disk::default()
        }
    }

    fn input(root: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlInputElement {
        root.query_selector(&format!("#{id}")).unwrap().expect(id).unchecked_into()
    }

    fn type_into(el: &web_sys::HtmlInputElement, text: &str) {
        el.set_value(text);
        el.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    }

    fn key(el: &web_sys::EventTarget, key: &str, shift: bool) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        el.dispatch_event(
            &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
    }

    #[wasm_bindgen_test]
    async fn names_the_dialog_validates_live_and_guides() {
        let (root, _open, _h) = mount(3, disk()).await;
        let dialog = root.query_selector("[role=dialog]").unwrap().expect("a dialog");
        assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
        let title = document().get_element_by_id(&dialog.get_attribute("aria-labelledby").unwrap()).unwrap();
        assert_eq!(title.text_content().unwrap(), "Create Snapshot");
        let text = root.text_content().unwrap();
        assert!(text.contains("3 of 15 snapshots used in cn-north-1"), "{text}");
        assert!(
            text.contains("estimates the time for 500 GiB once it has seen a snapshot"),
            "no invented estimate: {text}"
        );
        assert!(text.contains("Stop writing to the disk"));

        let ok = button(&root, "OK");
        assert!(ok.disabled(), "OK disabled while the name is empty");
        let name = input(&root, "snapshot-name");
        type_into(&name, "has space");
        tick().await;
        assert!(ok.disabled());
        assert!(root.text_content().unwrap().contains("“ ” is not allowed"));
        assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
        type_into(&name, "备份_1");
        tick().await;
        assert!(!ok.disabled(), "a valid name enables OK");
        assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("false"));

        let description: web_sys::HtmlInputElement = input(&root, "snapshot-description");
        type_into(&description, &"x".repeat(257));
        tick().await;
        assert!(ok.disabled(), "a too long description disables OK");
        assert!(root.text_content().unwrap().contains("257 / 256 characters"));
    }

    #[wasm_bindgen_test]
    async fn at_the_quota_ok_stays_disabled() {
        let (root, _open, _h) = mount(15, disk()).await;
        type_into(&input(&root, "snapshot-name"), "valid-name");
        tick().await;
        assert!(button(&root, "OK").disabled());
        assert!(root
            .text_content()
            .unwrap()
            .contains("The snapshot quota of cn-north-1 is used up (15 of 15)"));
    }

    #[wasm_bindgen_test]
    async fn focus_starts_inside_is_trapped_and_returns_on_escape() {
        let (root, open, _h) = mount(0, disk()).await;
        let active = || document().active_element().map(|e| e.id()).unwrap_or_default();
        assert_eq!(active(), "snapshot-name", "focus starts in Name");
        let dialog = root.query_selector("[role=dialog]").unwrap().unwrap();
        // Shift+Tab from the first field wraps to the last control.
        key(&document().active_element().unwrap(), "Tab", true);
        let last = document().active_element().unwrap();
        assert!(dialog.contains(Some(&last)), "focus stayed in the dialog");
        assert_eq!(
            last.text_content().unwrap().trim(),
            "Cancel",
            "the last enabled control (OK is disabled)"
        );
        // Tab from the last wraps to the first.
        key(&last, "Tab", false);
        assert_eq!(active(), "snapshot-name");
        // Escape closes and gives focus back to what had it.
        key(&document().active_element().unwrap(), "Escape", false);
        tick().await;
        assert!(!open.get_untracked());
        assert!(root.query_selector("[role=dialog]").unwrap().is_none());
        assert_eq!(document().active_element().unwrap().text_content().unwrap(), "Opener");
    }

    #[wasm_bindgen_test]
    async fn an_attached_disk_gets_the_detach_advice() {
        let mut d = disk();
        d.status = disk_api::DiskStatus::InUse;
        d.attachments = vec![disk_api::DiskAttachment {
            instance_id: "i-abcdefghij".into(),
            status: disk_api::AttachmentStatus::Attached,
            ..Default::default()
        }];
        let (root, _open, _h) = mount(0, d).await;
        let text = root.text_content().unwrap();
        assert!(text.contains("attached to instance i-abcdefghij"), "{text}");
        assert!(text.contains("Detaching it first is recommended"));
        // The guide's advice is the default way; the other is one choice away.
        assert!(text.contains("Detach, snapshot, attach again (recommended)"), "{text}");
        assert!(text.contains("Snapshot while attached"), "{text}");
        let radios = root.query_selector_all("input[type=radio]").unwrap();
        assert_eq!(radios.length(), 2);
        let first: web_sys::HtmlInputElement = radios.item(0).unwrap().unchecked_into();
        assert!(first.checked(), "the guided way is chosen");
    }
}

#[wasm_bindgen_test]
async fn dom_builder_follows_signals_and_lets_go_with_its_owner() {
    use disk_console::dom::el;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    let root = host();
    let (text, set_text) = signal("a".to_owned());
    let (show, set_show) = signal(true);
    let clicks = Arc::new(AtomicU32::new(0));
    let cleaned = Arc::new(AtomicU32::new(0));
    let owner = Owner::new();
    let built = owner.with(|| {
        let (clicks, cleaned) = (clicks.clone(), cleaned.clone());
        el("div")
            .attr("data-x", "<b>not html</b>")
            .dyn_text(move || text.get())
            .dyn_child(move || {
                show.get().then(|| {
                    let cleaned = cleaned.clone();
                    on_cleanup(move || {
                        cleaned.fetch_add(1, Ordering::SeqCst);
                    });
                    el("b").text("<i>shown</i>").into()
                })
            })
            .on("click", move |_| {
                clicks.fetch_add(1, Ordering::SeqCst);
            })
    });
    let div = built.0.clone().unchecked_into::<web_sys::HtmlElement>();
    root.append_child(&div).unwrap();
    assert_eq!(div.text_content().unwrap(), "a<i>shown</i>", "text stays text");
    assert_eq!(div.get_attribute("data-x").unwrap(), "<b>not html</b>");
    assert!(div.query_selector("i").unwrap().is_none());

    set_text.set("b".into());
    tick().await;
    assert_eq!(div.text_content().unwrap(), "b<i>shown</i>");

    // The same value again: the effect runs, the DOM is not written.
    let writes = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let seen = writes.clone();
    let on_mutations =
        wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |r: js_sys::Array| {
            seen.set(seen.get() + r.length())
        });
    let observer = web_sys::MutationObserver::new(on_mutations.as_ref().unchecked_ref()).unwrap();
    let init = web_sys::MutationObserverInit::new();
    init.set_subtree(true);
    init.set_character_data(true);
    init.set_attributes(true);
    init.set_child_list(true);
    observer.observe_with_options(&div, &init).unwrap();
    set_text.set("b".into());
    tick().await;
    let writes = writes.get() + observer.take_records().length();
    assert_eq!(writes, 0, "no DOM writes for an unchanged value");
    observer.disconnect();

    // A part that goes away takes its reactive owner with it.
    set_show.set(false);
    tick().await;
    assert_eq!(div.text_content().unwrap(), "b");
    assert_eq!(cleaned.load(Ordering::SeqCst), 1);
    set_show.set(true);
    tick().await;
    assert_eq!(div.text_content().unwrap(), "b<i>shown</i>");

    div.click();
    assert_eq!(clicks.load(Ordering::SeqCst), 1);

    // When the owner goes, so do the effects and the listener.
    owner.cleanup();
    assert_eq!(cleaned.load(Ordering::SeqCst), 2);
    div.click();
    assert_eq!(clicks.load(Ordering::SeqCst), 1, "no listener after cleanup");
    set_text.set("c".into());
    tick().await;
    assert_eq!(div.text_content().unwrap(), "b<i>shown</i>", "no effect after cleanup");
}

#[wasm_bindgen_test]
async fn an_operation_sends_its_request_when_called_not_when_awaited() {
    use disk_api::query::ListQuery;
    // Count the page's fetch calls for the length of the test.
    let window = window();
    let real = js_sys::Reflect::get(&window, &"fetch".into()).unwrap();
    let calls = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let seen = calls.clone();
    let counting = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue) -> js_sys::Promise>::new(
        move |url: wasm_bindgen::JsValue| {
            seen.borrow_mut().push(url.as_string().unwrap_or_default());
            js_sys::Promise::new(&mut |_, _| {})
        },
    );
    js_sys::Reflect::set(&window, &"fetch".into(), counting.as_ref()).unwrap();

    let config = disk_console::config::Config { api_base: "/api".into(), ..Default::default() };
    let client = disk_console::api::Client::new(&config);
    let answer = client.describe_disks("cn-north-1", &ListQuery::default().page(1, 100));
    let sent = calls.borrow().clone();
    js_sys::Reflect::set(&window, &"fetch".into(), &real).unwrap();
    drop(answer);
    assert_eq!(sent, ["/api/v1/regions/cn-north-1/disks?pageNumber=1&pageSize=100"], "sent before any await");
}
