use crate::api::ApiError;
use crate::i18n::{t, tf, T};
use leptos::prelude::*;

/// What went wrong, in words, with what support needs (status and request ID) and a way to try again.
#[component]
pub fn ErrorView(
    /// The heading, e.g. "Could not load disks".
    #[prop(into)]
    title: String,
    /// The failure.
    error: ApiError,
    /// Runs when the user presses Retry.
    #[prop(into)]
    on_retry: Callback<()>,
) -> impl IntoView {
    let detail = match &error {
        ApiError::Api { code, status, .. } => {
            Some(tf(T::HttpStatus, &[("code", &code.to_string()), ("status", status)]))
        }
        ApiError::Decode { http_status, .. } => Some(tf(T::HttpOnly, &[("code", &http_status.to_string())])),
        ApiError::Network(_) => None,
    };
    let request_id = error.request_id().map(str::to_owned);
    // A page whose load may mend tries again by itself (see `task::ApiLoad`): say so.
    let by_itself = crate::task::recoverable(&error)
        .then(|| view! { <p class="dc-error__detail">{t(T::RetryingByItself)}</p> });
    view! {
        <div class="dc-error" role="alert">
            <h2>{title}</h2>
            <p class="dc-error__message">{error.message()}</p>
            {detail.map(|d| view! { <p class="dc-error__detail">{d}</p> })}
            {request_id.map(|id| view! { <p class="dc-error__detail">{t(T::RequestId)} <code>{id}</code></p> })}
            {by_itself}
            <button type="button" class="dc-button" on:click=move |_| on_retry.run(())>{t(T::Retry)}</button>
        </div>
    }
}
