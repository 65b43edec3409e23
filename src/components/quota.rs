//! The snapshot quota of the region in view: one resource for the whole app, refetched when the number of
//! snapshots changes.

use crate::api::ApiError;
use disk_api::Quota;
use leptos::prelude::*;

/// The quota resource, provided through context by the app.
#[derive(Clone, Copy)]
pub struct SnapshotQuota(pub LocalResource<Result<Quota, ApiError>>);

impl SnapshotQuota {
    /// The quota if known (tracked).
    pub fn get(&self) -> Option<Quota> {
        self.0.get().and_then(Result::ok)
    }

    /// Why no snapshot can be created now, if the quota is used up (tracked).
    pub fn full_reason(&self, region: &str) -> Option<String> {
        self.get().filter(|q| q.used >= q.limit).map(|q| {
            format!(
                "The snapshot quota of {region} is used up ({} of {}). Delete snapshots you no longer need to create new ones.",
                q.used, q.limit
            )
        })
    }
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
            let text = format!("{} of {} snapshots used in {}", q.used, q.limit, region.get());
            view! {
                <div class="dc-quota">
                    <meter min="0" max=q.limit value=q.used high=q.limit.saturating_sub(1) aria-label="Snapshot quota"></meter>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

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
                <p class="dc-note dc-note--warn" role="note">
                    {reason} " "
                    <crate::router::Link href=href>"Go to the snapshot list"</crate::router::Link>
                </p>
            }
        })
    }
}
