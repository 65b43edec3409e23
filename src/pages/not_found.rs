use crate::router::Link;
use leptos::prelude::*;

/// Any URL the console does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="dc-empty">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <Link href="/disks">"Go to the disk list"</Link>
        </section>
    }
}
