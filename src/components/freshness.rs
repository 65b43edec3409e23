use crate::api::ApiError;
use crate::i18n::{t, tf, T};
use crate::live::use_live;
use leptos::prelude::*;

/// "Updated 12s ago" and a Refresh button for a list.
#[component]
pub fn Freshness(
    /// When the list was last loaded (ms since the epoch).
    #[prop(into)]
    loaded_ms: Signal<Option<f64>>,
    /// Why the list on screen may be out of date (its latest refresh failed).
    #[prop(optional, into)]
    stale: Option<Signal<Option<ApiError>>>,
    /// Reloads the list.
    #[prop(into)]
    on_refresh: Callback<()>,
) -> impl IntoView {
    let live = use_live();
    let text = move || {
        if let Some(e) = stale.and_then(|s| s.get()) {
            let text = if crate::task::recoverable(&e) { T::NotUpToDateRetrying } else { T::NotUpToDate };
            return Some(tf(text, &[("why", &e.message())]));
        }
        let loaded = loaded_ms.get()?;
        let updated = live.updated_ms.get().map_or(loaded, |u| u.max(loaded));
        let secs = ((live.now_ms.get() - updated) / 1000.0).max(0.0) as u64;
        Some(if secs < 5 {
            t(T::UpdatedJustNow).to_owned()
        } else {
            tf(T::UpdatedSecondsAgo, &[("n", &secs.to_string())])
        })
    };
    view! {
        <span class="dc-freshness">
            <span class="dc-muted" class:dc-stale=move || stale.is_some_and(|s| s.with(Option::is_some)) role="status">{text}</span>
            <button type="button" class="dc-button dc-button--small" on:click=move |_| on_refresh.run(())>{t(T::Refresh)}</button>
        </span>
    }
}
