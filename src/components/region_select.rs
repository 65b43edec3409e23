use crate::config::Config;
use crate::i18n::{t, Locale, T};
use crate::router::use_router;
use crate::LocaleSwitch;
use disk_api::query::encode_component;
use disk_api::region::REGIONS;
use leptos::prelude::*;

/// A region's name in the current language, when the console knows the region.
pub fn region_name(id: &str) -> Option<&'static str> {
    let key = match id {
        "cn-north-1" => T::RegionCnNorth1,
        "cn-east-1" => T::RegionCnEast1,
        "cn-east-2" => T::RegionCnEast2,
        "cn-south-1" => T::RegionCnSouth1,
        _ => return None,
    };
    Some(t(key))
}

/// `华北-北京 · cn-north-1`, or the ID alone for a region the console does not know.
pub fn region_label(id: &str) -> String {
    region_name(id).map_or_else(|| id.to_owned(), |name| format!("{name} · {id}"))
}

/// The region switcher of the header. The region lives in the URL (`?region=`); switching keeps the section
/// (disks or snapshots) and starts it from its first page.
#[component]
pub fn RegionSelect() -> impl IntoView {
    let config = use_context::<Config>().unwrap_or_default();
    let default_region = config.default_region.clone();
    // The configured regions, else every region the console knows.
    let ids: Vec<String> = if config.regions.is_empty() {
        REGIONS.iter().map(|r| r.id.to_owned()).collect()
    } else {
        config.regions.clone()
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
            <span class="dc-region__label">{t(T::Region)}</span>
            <select on:change=on_change prop:value=current.clone()>
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
    let on_change = move |ev: leptos::ev::Event| {
        let Some(locale) = Locale::parse(&event_target_value(&ev)) else { return };
        if let Some(s) = crate::live::storage() {
            let _ = s.set_item(crate::i18n::LOCALE_KEY, locale.tag());
        }
        if let Some(LocaleSwitch(sig)) = switch {
            sig.set(locale);
        }
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
