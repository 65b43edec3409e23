//! The snapshot quota of the region in view: one resource for the whole app, refetched when the number of
//! snapshots changes.

use crate::api::ApiError;
use crate::i18n::{t, tf, T};
use disk_api::Quota;
use leptos::prelude::*;

/// The quota resource, provided through context by the app.
#[derive(Clone, Copy)]
pub struct SnapshotQuota(pub crate::task::Load<Result<Quota, ApiError>>);

impl SnapshotQuota {
    /// The quota if known (tracked).
    pub fn get(&self) -> Option<Quota> {
        self.0.get().and_then(Result::ok)
    }

    /// Why no snapshot can be created now, if the quota is used up (tracked).
    pub fn full_reason(&self, region: &str) -> Option<String> {
        self.get().filter(|q| q.used >= q.limit).map(|q| {
            tf(
                T::QuotaUsedUp,
                &[("region", region), ("used", &q.used.to_string()), ("limit", &q.limit.to_string())],
            )
        })
    }
}

/// "3 of 15 snapshots used in cn-north-1".
pub fn quota_line(q: &Quota, region: &str) -> String {
    tf(T::QuotaLine, &[("used", &q.used.to_string()), ("limit", &q.limit.to_string()), ("region", region)])
}

pub fn use_quota() -> SnapshotQuota {
    expect_context::<SnapshotQuota>()
}

/// "3 of 15 snapshots used in cn-north-1", with a meter.
#[component]
pub fn QuotaMeter(
    /// The region the quota is for.
    #[prop(into)]
    region: Signal<String>,
) -> impl IntoView {
    let quota = use_quota();
    move || {
        quota.get().map(|q| {
            let text = quota_line(&q, &region.get());
            view! {
                <div class="dc-quota">
                    <meter min="0" max=q.limit value=q.used high=q.limit.saturating_sub(1) aria-label=t(T::SnapshotQuota)></meter>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

/// The element ID of [`QuotaFullNote`], which the disabled Create Snapshot buttons point at.
pub const QUOTA_NOTE: &str = "quota-note";

/// The reason and a way out, shown where the Create Snapshot actions are disabled.
#[component]
pub fn QuotaFullNote(
    /// The region in view.
    #[prop(into)]
    region: Signal<String>,
) -> impl IntoView {
    let quota = use_quota();
    move || {
        let region = region.get();
        quota.full_reason(&region).map(|reason| {
            let href = format!("/snapshots?region={}", disk_api::query::encode_component(&region));
            view! {
                <p class="dc-note dc-note--warn" role="note" id=crate::host::uid(QUOTA_NOTE)>
                    {reason} " "
                    <crate::router::Link href=href>{t(T::GoToSnapshotList)}</crate::router::Link>
                </p>
            }
        })
    }
}
