use crate::config::Config;
use crate::router::use_router;
use disk_api::query::encode_component;
use disk_api::region::REGIONS;
use leptos::prelude::*;

/// The region switcher of the header. The region lives in the URL (`?region=`); switching keeps the section
/// (disks or snapshots) and starts it from its first page.
#[component]
pub fn RegionSelect() -> impl IntoView {
    let default_region = use_context::<Config>().unwrap_or_default().default_region;
    let router = use_router();
    let current = move || router.url().param("region").unwrap_or_else(|| default_region.clone());
    let on_change = move |ev: leptos::ev::Event| {
        let region = event_target_value(&ev);
        let section = if router.url_signal().get_untracked().path.starts_with("/snapshots") {
            "/snapshots"
        } else {
            "/disks"
        };
        router.navigate(&format!("{section}?region={}", encode_component(&region)));
    };
    view! {
        <label class="dc-region">
            <span class="dc-region__label">"Region"</span>
            <select on:change=on_change prop:value=current.clone()>
                {REGIONS
                    .iter()
                    .map(|r| {
                        let current = current.clone();
                        view! {
                            <option value=r.id selected=move || current() == r.id>
                                {format!("{} · {}", r.name, r.id)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
