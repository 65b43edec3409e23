//! A modal dialog done properly: `role="dialog"`, `aria-modal`, named by its title, focus moved inside on
//! open, kept inside (Tab and Shift+Tab wrap), Escape closes, and focus goes back where it was on close.

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), textarea:not([disabled]), \
                         select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

#[component]
pub fn Modal(
    /// The `id` of the element that names the dialog (its title).
    #[prop(into)]
    title_id: String,
    /// Runs on Escape (the dialog's owner closes it).
    #[prop(into)]
    on_close: Callback<()>,
    /// Extra class for the panel, e.g. a wider one.
    #[prop(optional)]
    class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    let host = crate::host::use_host();
    let opener = host.active_element();
    // Where focus goes if the opener cannot take it back (its row went, or it is disabled now, as a deleted
    // snapshot's Delete is): the page's heading, never the body.
    let page = opener.as_ref().and_then(|e| e.closest("main").ok().flatten());
    let previously = SendWrapper::new((opener, page));
    on_cleanup(move || {
        let (opener, page) = previously.take();
        let opener = opener.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = opener.filter(|e| e.is_connected() && !e.has_attribute("disabled")) {
            let _ = el.focus();
            return;
        }
        let heading = page
            .and_then(|m| m.query_selector("h1").ok().flatten())
            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(h) = heading {
            let _ = h.set_attribute("tabindex", "-1");
            let _ = h.focus();
        }
    });
    // Focus the first field (or button) once the dialog is in the document.
    panel.on_load(move |p| {
        let first = p
            .query_selector("[autofocus], input:not([disabled]), textarea:not([disabled])")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .or_else(|| focusables(&p).into_iter().next());
        request_animation_frame(move || {
            if let Some(el) = first {
                let _ = el.focus();
            }
        });
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            ev.stop_propagation();
            on_close.run(());
        }
        "Tab" => {
            let Some(p) = panel.get_untracked() else { return };
            let items = focusables(&p);
            let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
            let active = host.active_element();
            let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(el)));
            let inside = active.as_ref().is_some_and(|a| p.contains(Some(a)));
            if ev.shift_key() && (at(first) || !inside) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && (at(last) || !inside) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    let class = match class {
        Some(extra) => format!("dc-dialog {extra}"),
        None => "dc-dialog".to_owned(),
    };
    view! {
        <div class="dc-backdrop">
            <div class=class role="dialog" aria-modal="true" aria-labelledby=title_id node_ref=panel on:keydown=on_keydown>
                {children()}
            </div>
        </div>
    }
}

/// A dialog form's buttons: Cancel, and the submitting one (OK, or what the dialog does), disabled while
/// `disabled` says so.
#[component]
pub fn DialogButtons(
    /// Closes the dialog.
    #[prop(into)]
    on_cancel: Callback<()>,
    /// The submit button's text.
    label: &'static str,
    /// Whether it cannot be pressed now.
    #[prop(into)]
    disabled: Signal<bool>,
    /// A destructive action (red).
    #[prop(optional)]
    danger: bool,
) -> impl IntoView {
    let class = if danger { "dc-button dc-button--danger" } else { "dc-button dc-button--primary" };
    view! {
        <div class="dc-dialog__buttons">
            <button type="button" class="dc-button" on:click=move |_| on_cancel.run(())>{crate::i18n::t(crate::i18n::T::Cancel)}</button>
            <button type="submit" class=class disabled=move || disabled.get()>{label}</button>
        </div>
    }
}
