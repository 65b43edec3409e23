//! Who uses the console and what serves its data: the emulated region (demo data, said in the header so
//! nobody mistakes it for their account) or the account's real region through the gateway (the signed-in
//! user and role; a viewer's changing actions are disabled with the reason). The standalone page carries it
//! (`#disk-console-session`); a mounted console asks once.

use crate::i18n::{t, tf, T};
use disk_api::ConsoleSession;
use leptos::prelude::*;

const SESSION_ELEMENT_ID: &str = "disk-console-session";

/// The session, once known; provided through context by the app.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<ConsoleSession>>);

impl Session {
    /// Reads the page's session element, else asks the API once.
    pub fn start(api: &crate::api::Client, host: crate::host::Host) -> Self {
        let known = if host.is_standalone() { from_page() } else { None };
        let s = Session(RwSignal::new(known.clone()));
        if known.is_none() {
            let answer = api.describe_session();
            leptos::task::spawn_local_scoped(async move {
                if let Ok(v) = answer.await {
                    s.0.set(Some(v));
                }
            });
        }
        s
    }

    /// Why the user cannot create, edit, delete or detach, if their role only lets them look (tracked).
    pub fn read_only_reason(&self) -> Option<String> {
        self.0.with(|s| s.as_ref().and_then(read_only_reason))
    }
}

/// The element ID (see [`crate::host::uid`]) of the note that says why a viewer cannot change anything: the
/// disabled buttons point at it (`aria-describedby`).
pub const READ_ONLY_NOTE: &str = "read-only-note";

/// The reason text for a viewer's session.
pub fn read_only_reason(s: &ConsoleSession) -> Option<String> {
    s.is_viewer().then(|| tf(T::ViewerCannot, &[("role", role_label(s.role.as_deref().unwrap_or("")))]))
}

pub fn role_label(role: &str) -> &'static str {
    match role {
        "viewer" => t(T::RoleViewer),
        _ => t(T::RoleOperator),
    }
}

fn from_page() -> Option<ConsoleSession> {
    let text = document().get_element_by_id(SESSION_ELEMENT_ID)?.text_content()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The header's tag: "Emulated region" (with what it means), or the signed-in user and role.
#[component]
pub fn SessionTag() -> impl IntoView {
    let session = use_session();
    move || {
        session.0.get().map(|s| {
            if s.is_emulator() {
                view! {
                    <span class="dc-env dc-env--demo" title=t(T::EmulatedRegionHint)>
                        {t(T::EmulatedRegion)}
                        <span class="dc-visually-hidden">{format!(" ({})", t(T::EmulatedRegionHint))}</span>
                    </span>
                }
                .into_any()
            } else {
                let text = tf(
                    T::SignedInAs,
                    &[
                        ("user", s.user.as_deref().unwrap_or("")),
                        ("role", role_label(s.role.as_deref().unwrap_or(""))),
                    ],
                );
                view! { <span class="dc-env" title=t(T::SignedInHint)>{text}</span> }.into_any()
            }
        })
    }
}

/// A note above a page's content when the user may only look.
#[component]
pub fn ReadOnlyNote() -> impl IntoView {
    let session = use_session();
    move || {
        session
            .read_only_reason()
            .map(|r| view! { <p class="dc-note" role="note" id=crate::host::uid(READ_ONLY_NOTE)>{r}</p> })
    }
}
