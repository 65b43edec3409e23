use crate::config::Config;
use crate::router::use_router;
use disk_api::query::encode_component;
use disk_api::region::REGIONS;
use leptos::prelude::*;

/// The region switcher of the header. The region lives in the URL (`?region=`); switching keeps the section
/// (disks or snapshots) and starts it from its first page.
#[component]
pub fn RegionSelect() -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let default_region = config.default_region.clone();
    // The configured regions (named when the console knows them), else every region it knows.
    let regions: Vec<(String, String)> = if config.regions.is_empty() {
        REGIONS.iter().map(|r| (r.id.to_owned(), format!("{} · {}", r.name, r.id))).collect()
    } else {
        config
            .regions
            .iter()
            .map(|id| {
                let label = disk_api::region::find(id)
                    .map_or_else(|| id.clone(), |r| format!("{} · {}", r.name, r.id));
                (id.clone(), label)
            })
            .collect()
    };
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
                {regions
                    .into_iter()
                    .map(|(id, label)| {
                        let current = current.clone();
                        let is = id.clone();
                        view! {
                            <option value=id selected=move || current() == is>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
