//! Taking over the first view disk-server rendered into the page (`[data-prerendered]`, see the server's
//! `prerender.rs`): the console builds its own view hidden beside it (CSS hides it while the console's
//! element is `data-taking-over`), and once that view has what the rendered one shows, swaps them in one task,
//! so the browser paints the same table. A click the user made on the rendered view meanwhile, or a choice
//! in one of its lists (a script in the page records them with the element's position, `data-clicked`,
//! `data-changed`), is made on the console's; what they typed in the search box and where the focus was are
//! kept.

use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::Element;

thread_local! {
    /// The console's element while it holds a rendered first view not yet taken over.
    static PENDING: RefCell<Option<Element>> = const { RefCell::new(None) };
}

const TAKING_OVER: &str = "data-taking-over";
/// The rendered first view, and the console's own, among the console element's children.
const RENDERED: &str = ":scope > [data-prerendered]"; // i18n: not shown (a selector)
const OURS: &str = ":scope > .dc-app:not([data-prerendered])"; // i18n: not shown (a selector)

/// Called before the console mounts into `element`: whether it holds a rendered first view to take over.
pub fn prepare(element: &Element) -> bool {
    let found = element.query_selector(RENDERED).ok().flatten().is_some();
    if found {
        let _ = element.set_attribute(TAKING_OVER, "");
        PENDING.with(|p| *p.borrow_mut() = Some(element.clone()));
    }
    found
}

/// Takes over as soon as the console's view is ready (now, or after the tasks already queued); with
/// nothing to take over, nothing.
pub fn soon() {
    if PENDING.with(|p| p.borrow().is_none()) {
        return;
    }
    leptos::task::spawn_local(async { attempt(0) });
}

/// The console's view has what the rendered one shows: the list (or its empty state) with the same texts
/// (the instances' names too), and the quota line.
fn ready(rendered: &Element, ours: &Element) -> bool {
    let has = |e: &Element, sel: &str| e.query_selector(sel).ok().flatten().is_some();
    let text = |e: &Element| e.query_selector("tbody").ok().flatten().and_then(|b| b.text_content());
    if text(rendered) != text(ours) {
        return false;
    }
    ["tbody tr", ".dc-empty", ".dc-quota", ".dc-pager"] // i18n: not shown (selectors)
        .iter()
        .all(|sel| has(rendered, sel) <= has(ours, sel))
}

fn attempt(tries: u32) {
    let Some(root) = PENDING.with(|p| p.borrow().clone()) else { return };
    let Some(rendered) = root.query_selector(RENDERED).ok().flatten() else {
        return finish(&root, None, None);
    };
    let Some(ours) = root.query_selector(OURS).ok().flatten() else {
        return again(tries);
    };
    if !ready(&rendered, &ours) && tries < 40 {
        return again(tries);
    }
    finish(&root, Some(rendered), Some(ours));
}

/// Looks again after the next tasks (the answers of the requests already in flight).
fn again(tries: u32) {
    set_timeout(move || attempt(tries + 1), std::time::Duration::from_millis(5));
}

fn finish(root: &Element, rendered: Option<Element>, ours: Option<Element>) {
    PENDING.with(|p| *p.borrow_mut() = None);
    let (Some(rendered), Some(ours)) = (rendered, ours) else {
        let _ = root.remove_attribute(TAKING_OVER);
        return;
    };
    let clicked = rendered.get_attribute("data-clicked").map(|p| at(&ours, &p));
    // A list's choice: `position=value`.
    let changed = rendered.get_attribute("data-changed").and_then(|c| {
        let (path, value) = c.rsplit_once('=')?;
        Some((at(&ours, path)?, value.to_owned()))
    });
    let focused = document().active_element().filter(|a| rendered.contains(Some(a.as_ref()))).map(|a| {
        let path = path_of(&rendered, &a);
        at(&ours, &path)
    });
    // Typed into the rendered search box: the same text in ours.
    let typed = rendered
        .query_selector("input[type=search]")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|i| i.value() != i.default_value())
        .map(|i| i.value());
    if let (Some(text), Some(input)) = (
        typed,
        ours.query_selector("input[type=search]")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok()),
    ) {
        input.set_value(&text);
    }
    rendered.remove();
    let _ = root.remove_attribute(TAKING_OVER);
    crate::host::mark("taken-over");
    if let Some(Some(e)) = focused {
        if let Some(e) = e.dyn_ref::<web_sys::HtmlElement>() {
            let _ = e.focus();
        }
    }
    if let Some((select, value)) = changed {
        let _ = js_sys::Reflect::set(&select, &"value".into(), &value.into());
        if let Ok(ev) = web_sys::Event::new("change") {
            let _ = select.dispatch_event(&ev);
        }
    }
    if let Some(Some(e)) = clicked {
        if let Some(e) = e.dyn_ref::<web_sys::HtmlElement>() {
            e.click();
        }
    }
}

/// The element at `path` (child positions, space-separated, as the start script records them) below `root`.
fn at(root: &Element, path: &str) -> Option<Element> {
    let mut e = root.clone();
    for step in path.split_whitespace() {
        e = e.children().item(step.parse().ok()?)?;
    }
    Some(e)
}

/// `e`'s position below `root`, as [`at`] reads it.
fn path_of(root: &Element, e: &Element) -> String {
    let mut steps = Vec::new();
    let mut n = e.clone();
    while n != *root {
        let Some(parent) = n.parent_element() else { break };
        let children = parent.children();
        let i = (0..children.length()).find(|&i| children.item(i).as_ref() == Some(&n)).unwrap_or(0);
        steps.push(i.to_string());
        n = parent;
    }
    steps.reverse();
    steps.join(" ")
}
