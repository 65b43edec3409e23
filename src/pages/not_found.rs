use crate::i18n::{t, T};
use crate::router::Link;
use leptos::prelude::*;

/// Any URL the console does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="dc-empty">
            <h1>{t(T::NotFoundTitle)}</h1>
            <p>{t(T::NotFoundText)}</p>
            <Link href="/disks">{t(T::GoToDiskList)}</Link>
        </section>
    }
}
