use crate::format::thousands;
use crate::url_state::{page_count, PAGE_SIZES};
use leptos::prelude::*;

/// Paging controls: where we are ("11–14 of 14"), Previous / Next, and the page size.
#[component]
pub fn Pager(
    /// The current page, from 1.
    page: u32,
    /// Items per page.
    page_size: u32,
    /// Items in the whole filtered set.
    total: u32,
    /// Runs with the page to go to.
    #[prop(into)]
    on_page: Callback<u32>,
    /// Runs with the newly chosen page size.
    #[prop(into)]
    on_page_size: Callback<u32>,
) -> impl IntoView {
    let pages = page_count(total, page_size);
    let first = (page - 1) * page_size + 1;
    let last = (page * page_size).min(total);
    let range = if total == 0 || first > total {
        format!("0 of {}", thousands(total.into()))
    } else {
        format!("{}–{} of {}", thousands(first.into()), thousands(last.into()), thousands(total.into()))
    };
    view! {
        <nav class="dc-pager" aria-label="Pages">
            <span class="dc-pager__range" aria-live="polite">{range}</span>
            <button type="button" class="dc-button" disabled={page <= 1} on:click=move |_| on_page.run(page - 1)>
                "Previous"
            </button>
            <span class="dc-pager__page">{format!("Page {page} of {pages}")}</span>
            <button type="button" class="dc-button" disabled={page >= pages} on:click=move |_| on_page.run(page + 1)>
                "Next"
            </button>
            <label class="dc-pager__size">
                "Per page "
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
