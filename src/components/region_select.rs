use crate::config::Config;
use crate::i18n::{t, Locale, T};
use crate::router::use_router;
use crate::LocaleSwitch;
use disk_api::query::encode_component;
use disk_api::region::REGIONS;
use leptos::prelude::*;

/// A region's name in the current language, when the console knows the region.
pub fn region_name(id: &str) -> Option<&'static str> {
    disk_texts::words::region_name(id, &t)
}

/// `华北-北京 · cn-north-1`, or the ID alone for a region the console does not know.
pub fn region_label(id: &str) -> String {
    disk_texts::words::region_label(id, &t)
}

/// The regions the console offers: the configured ones, else every region it knows.
pub fn offered_regions(config: &Config) -> Vec<String> {
    if config.regions.is_empty() {
        REGIONS.iter().map(|r| r.id.to_owned()).collect()
    } else {
        config.regions.clone()
    }
}

/// A page for a region the console does not offer (`?region=mars-1`): says so and links the known ones.
#[component]
pub fn UnknownRegion(
    /// The region asked for.
    region: String,
) -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let router = use_router();
    let section = if router.url_signal().get_untracked().path.starts_with("/snapshots") {
        "/snapshots"
    } else {
        "/disks"
    };
    view! {
        <section class="dc-empty">
            <h1>{t(T::UnknownRegion)}</h1>
            <p>{crate::i18n::tf(T::UnknownRegionText, &[("region", &region)])}</p>
            <ul class="dc-list">
                {offered_regions(&config).into_iter().map(|id| {
                    let href = format!("{section}?region={}", encode_component(&id));
                    view! { <li><crate::router::Link href=href>{region_label(&id)}</crate::router::Link></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The region switcher of the header. The region lives in the URL (`?region=`); switching keeps the section
/// (disks or snapshots) and starts it from its first page.
#[component]
pub fn RegionSelect() -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let default_region = config.default_region.clone();
    let ids = offered_regions(&config);
    let known = ids.clone();
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
            <span class="dc-region__label">{t(T::Region)}</span>
            <select on:change=on_change prop:value=current.clone()>
                {
                    // A region the console does not offer is shown as such, not as a blank select.
                    let current = current.clone();
                    move || {
                        let now = current();
                        (!known.contains(&now)).then(|| {
                            let label = crate::i18n::tf(T::UnknownRegionOption, &[("region", &now)]);
                            view! { <option value=now selected disabled>{label}</option> }
                        })
                    }
                }
                {ids
                    .into_iter()
                    .map(|id| {
                        let current = current.clone();
                        let label = region_label(&id);
                        let is = id.clone();
                        view! { <option value=id selected=move || current() == is>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The language switcher of the header; the choice is remembered in this browser.
#[component]
pub fn LanguageSelect() -> impl IntoView {
    let switch = use_context::<LocaleSwitch>();
    let current = crate::i18n::locale();
    let toasts = crate::components::toasts::use_toasts();
    let failed = t(T::PartNotLoaded);
    let on_change = move |ev: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&ev);
        let (Some(locale), Some(switch)) = (Locale::parse(&select.value()), switch) else { return };
        // The other language's texts may still have to be fetched; where they cannot be, the choice goes
        // back and a toast says so.
        leptos::task::spawn_local(async move {
            if !switch.switch(locale).await {
                select.set_value(current.tag());
                toasts.error(failed, None);
            }
        });
    };
    view! {
        <label class="dc-region dc-lang">
            <span class="dc-visually-hidden">{t(T::Language)}</span>
            <select on:change=on_change>
                {Locale::ALL
                    .iter()
                    .map(|l| {
                        view! {
                            <option value=l.tag() selected=*l == current lang=l.tag()>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
