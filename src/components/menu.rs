//! A menu button: `aria-haspopup="menu"`, arrow keys move between items, Home/End jump, Escape closes and
//! gives focus back to the button, a click outside closes it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One item of a menu.
#[derive(Clone)]
pub struct MenuItem {
    pub label: String,
    /// Why the item cannot be used now; `None` when it can.
    pub disabled: Option<String>,
    pub action: Callback<()>,
}

fn items_of(menu: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = menu.query_selector_all("[role=menuitem]") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

#[component]
pub fn MenuButton(
    /// The button's text, e.g. "Actions".
    label: &'static str,
    /// The `id` of the menu list.
    #[prop(into)]
    menu_id: String,
    /// The items, in order.
    #[prop(into)]
    items: Signal<Vec<MenuItem>>,
) -> impl IntoView {
    let host = crate::host::use_host();
    let (open, set_open) = signal(false);
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Ul>::new();
    let focus_item = move |index: isize| {
        let Some(m) = menu.get_untracked() else { return };
        let all = items_of(&m);
        if all.is_empty() {
            return;
        }
        let i = index.rem_euclid(all.len() as isize) as usize;
        let _ = all[i].focus();
    };
    let close = move |refocus: bool| {
        set_open.set(false);
        if refocus {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    // Each time the list opens (a new element every time: `NodeRef::on_load` fires only for the first, and
    // trapped on every later one), focus its first item.
    Effect::new(move |_| {
        if menu.get().is_some() {
            request_animation_frame(move || focus_item(0));
        }
    });
    let current = move || {
        let m = menu.get_untracked()?;
        let active = host.active_element()?;
        items_of(&m).iter().position(|el| active.is_same_node(Some(el))).map(|i| i as isize)
    };
    let on_menu_key = move |ev: leptos::ev::KeyboardEvent| {
        let at = current().unwrap_or(0);
        match ev.key().as_str() {
            "ArrowDown" => focus_item(at + 1),
            "ArrowUp" => focus_item(at - 1),
            "Home" => focus_item(0),
            "End" => focus_item(-1),
            "Escape" => close(true),
            // Focus goes back to the button and Tab goes on from there (not to the body, with the list gone).
            "Tab" => close(true),
            _ => return,
        }
        ev.prevent_default();
    };
    let on_button_key = move |ev: leptos::ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "ArrowDown" | "ArrowUp") {
            ev.prevent_default();
            set_open.set(true);
        }
    };
    let outside = window_event_listener(leptos::ev::click, move |ev| {
        if !open.get_untracked() {
            return;
        }
        // The first node of the composed path: inside a shadow root, `target` is only the host element.
        let target = ev.composed_path().get(0).dyn_into::<web_sys::Node>().ok();
        let inside = |el: Option<web_sys::Element>| el.is_some_and(|el| el.contains(target.as_ref()));
        if !inside(button.get_untracked().map(Into::into)) && !inside(menu.get_untracked().map(Into::into)) {
            set_open.set(false);
        }
    });
    on_cleanup(move || outside.remove());
    view! {
        <div class="dc-menu">
            <button
                type="button"
                class="dc-button dc-menu__button"
                node_ref=button
                aria-haspopup="menu"
                aria-controls=menu_id.clone()
                aria-expanded=move || open.get().to_string()
                on:click=move |_| set_open.update(|o| *o = !*o)
                on:keydown=on_button_key
            >
                {label}
            </button>
            <Show when=move || open.get()>
                <ul class="dc-menu__list" role="menu" id=menu_id.clone() aria-label=label node_ref=menu on:keydown=on_menu_key>
                    {move || {
                        items
                            .get()
                            .into_iter()
                            .map(|item| {
                                let MenuItem { label, disabled, action } = item;
                                let is_disabled = disabled.is_some();
                                view! {
                                    <li role="none">
                                        <button
                                            type="button"
                                            role="menuitem"
                                            tabindex="-1"
                                            class="dc-menu__item"
                                            aria-disabled=is_disabled.to_string()
                                            title=disabled
                                            on:click=move |_| {
                                                if !is_disabled {
                                                    close(true);
                                                    action.run(());
                                                }
                                            }
                                        >
                                            {label}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}
