use crate::format::thousands;
use crate::i18n::{t, tf, T};
use disk_api::console_url::{page_count, PAGE_SIZES};
use leptos::prelude::*;

/// Paging controls: where we are ("11–14 of 14"), Previous / Next, and the page size.
#[component]
pub fn Pager(
    /// The current page, from 1.
    page: u32,
    /// Items per page.
    page_size: u32,
    /// Items in the whole filtered set (it may change while the page is shown: a row deleted).
    #[prop(into)]
    total: Signal<u32>,
    /// Runs with the page to go to.
    #[prop(into)]
    on_page: Callback<u32>,
    /// Runs with the newly chosen page size.
    #[prop(into)]
    on_page_size: Callback<u32>,
) -> impl IntoView {
    let pages = move || page_count(total.get(), page_size);
    let range = move || {
        let total = total.get();
        let first = (page - 1) * page_size + 1;
        let last = (page * page_size).min(total);
        let (from, to) = if total == 0 || first > total { (0, 0) } else { (first, last) };
        tf(
            T::PagerRange,
            &[
                ("from", &thousands(from.into())),
                ("to", &thousands(to.into())),
                ("total", &thousands(total.into())),
            ],
        )
    };
    view! {
        <nav class="dc-pager" aria-label=t(T::Pages)>
            <span class="dc-pager__range" aria-live="polite">{range}</span>
            <button type="button" class="dc-button" disabled={page <= 1} on:click=move |_| on_page.run(page - 1)>
                {t(T::Previous)}
            </button>
            <span class="dc-pager__page">{move || tf(T::PageOf, &[("page", &page.to_string()), ("pages", &pages().to_string())])}</span>
            <button type="button" class="dc-button" disabled=move || { page >= pages() } on:click=move |_| on_page.run(page + 1)>
                {t(T::Next)}
            </button>
            <label class="dc-pager__size">
                {t(T::PerPage)}
                <select on:change=move |ev| {
                    if let Ok(size) = event_target_value(&ev).parse() {
                        on_page_size.run(size)
                    }
                }>
                    {PAGE_SIZES
                        .iter()
                        .map(|&s| view! { <option value=s selected=s == page_size>{s}</option> })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
