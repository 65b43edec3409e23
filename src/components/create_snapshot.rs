//! The Create Snapshot dialog: one component for both methods (the disk list's Actions column and the detail
//! page's Actions menu), with the seed's guidance in context, live validation by the same rules the server
//! uses, and one idempotency token per opened dialog so a retry can never create a second snapshot.

use crate::api::{ApiError, Client};
use crate::components::modal::{DialogButtons, Modal};
use crate::components::quota::use_quota;
use crate::components::toasts::use_toasts;
use crate::format::{capacity_gib, description_problem_text, name_problem_text};
use crate::i18n::{t, tf, T};
use crate::live::{use_live, CreateInputs};
use crate::schedule::about;
use crate::task::{Load, Task};
use disk_api::validate::{check_description, check_name, DESCRIPTION_MAX_CHARS};
use disk_api::{Disk, Snapshot, SnapshotSpec, SnapshotStatus};
use leptos::prelude::*;

/// What the dialog creates a snapshot of, and what to fill in.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateTarget {
    pub region: String,
    pub disk: Disk,
    pub name: String,
    pub description: String,
}

/// Opens the dialog from anywhere; provided through context by the app.
#[derive(Clone, Copy)]
pub struct CreateSnapshotHost {
    pub target: RwSignal<Option<CreateTarget>>,
}

impl CreateSnapshotHost {
    pub fn open(&self, region: &str, disk: Disk) {
        self.target.set(Some(CreateTarget {
            region: region.to_owned(),
            disk,
            name: String::new(),
            description: String::new(),
        }));
    }
}

pub fn use_create_snapshot() -> CreateSnapshotHost {
    expect_context::<CreateSnapshotHost>()
}

/// A fresh idempotency token: `dc-` and 24 random letters and digits.
pub fn new_client_token() -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut t = String::from("dc-");
    t.extend(
        (0..24).map(|_| CHARS[(js_sys::Math::random() * CHARS.len() as f64) as usize % CHARS.len()] as char),
    );
    t
}

/// Now, as the API writes resource times.
fn now_iso() -> String {
    disk_api::time::resource_time(js_sys::Date::now() as i64)
}

/// What a successful create leaves to do: the new ID, the name and description used, the region and disk.
type Created = (String, String, String, String, Disk);

#[component]
pub fn CreateSnapshotDialog(
    /// The disk and region, and the inputs to start from.
    target: CreateTarget,
    /// Closes the dialog.
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let api = expect_context::<Client>();
    let live = use_live();
    let toasts = use_toasts();
    let quota = use_quota();
    let CreateTarget { region, disk, name: start_name, description: start_description } = target;
    let (name, set_name) = signal(start_name);
    let (description, set_description) = signal(start_description);
    let (touched, set_touched) = signal(false);
    let token = StoredValue::new(new_client_token());

    let name_problem = move || check_name(&name.get()).err();
    let description_problem = move || check_description(&description.get()).err();
    let region_for_quota = region.clone();
    let quota_full = move || quota.full_reason(&region_for_quota);
    let region_for_link = region.clone();

    let create: Task<Result<Created, ApiError>> = Task::new();
    let create_work = {
        let (api, region, disk) = (api.clone(), region.clone(), disk.clone());
        move |(name, description): (String, String)| {
            let (api, region, disk) = (api.clone(), region.clone(), disk.clone());
            let token = token.get_value();
            async move {
                let spec = SnapshotSpec {
                    name: Some(name.clone()),
                    description: Some(description.clone()),
                    disk_id: Some(disk.disk_id.clone()),
                };
                let created = api.create_snapshot(&region, spec, &token).await?;
                Ok::<_, ApiError>((created.snapshot_id, name, description, region, disk))
            }
        }
    };
    let submitting = create.pending();
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move || {
        let Some(outcome) = create.value().get() else { return };
        match outcome {
            Ok((snapshot_id, name, description, region, disk)) => {
                let key = vec![snapshot_id.clone()];
                let snapshot = Snapshot {
                    snapshot_id,
                    snapshot_source: "self".into(),
                    disk_id: disk.disk_id.clone(),
                    snapshot_size_gb: disk.disk_size_gb,
                    name: name.clone(),
                    description: description.clone(),
                    status: SnapshotStatus::Creating,
                    create_time: now_iso(),
                    encrypted: disk.encrypted,
                    ..Snapshot::default()
                };
                live.created(
                    &region,
                    snapshot,
                    CreateInputs {
                        region: region.clone(),
                        disk_id: disk.disk_id,
                        name: name.clone(),
                        description,
                    },
                );
                toasts.progress(key, tf(T::CreatingSnapshotToast, &[("name", &name)]));
                on_close.run(());
            }
            Err(e) => {
                // Another tab (or person) took the last slot: the quota shown is out of date. Fetch it again,
                // so OK goes off with the reason and the way to the snapshot list.
                if matches!(&e, ApiError::Api { status, .. } if status == "QUOTA_EXCEEDED") {
                    live.quota_version.update(|v| *v = v.wrapping_add(1));
                }
                failure.set(Some(e));
            }
        }
    });

    // For an attached disk: the guided flow (the default, as the guide recommends) or a snapshot as it is.
    let (guided_way, set_guided_way) = signal(true);
    let guided = crate::guided::use_guided();
    type StartGuided = Box<dyn Fn(String, String) + Send + Sync>;
    let start_guided: StoredValue<Option<StartGuided>> = StoredValue::new(None);
    let can_submit = {
        let quota_full = quota_full.clone();
        move || {
            name_problem().is_none()
                && description_problem().is_none()
                && !submitting.get()
                && quota_full().is_none()
        }
    };
    let submit = {
        let can_submit = can_submit.clone();
        move || {
            set_touched.set(true);
            if !can_submit() {
                return;
            }
            failure.set(None);
            if start_guided.with_value(|g| g.is_some()) && guided_way.get_untracked() {
                start_guided.with_value(|g| {
                    if let Some(g) = g {
                        g(name.get_untracked(), description.get_untracked());
                    }
                });
            } else {
                create.run(create_work((name.get_untracked(), description.get_untracked())));
            }
        }
    };
    let on_submit = {
        let submit = submit.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            submit();
        }
    };

    // The instance names the disk is attached to, for the warning.
    let attached: Vec<String> = disk
        .attachments
        .iter()
        .filter(|a| a.status != disk_api::AttachmentStatus::Detached)
        .map(|a| a.instance_id.clone())
        .collect();
    let instances = {
        let (api, region, wanted) = (api.clone(), region.clone(), !attached.is_empty());
        Load::new(move || {
            let (api, region) = (api.clone(), region.clone());
            async move {
                if wanted {
                    api.describe_instances(&region).await.map(|r| r.instances).unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        })
    };
    let instance_label = {
        let ids = attached.clone();
        move || {
            let known = instances.get().unwrap_or_default();
            ids.iter()
                .map(|id| match known.iter().find(|i| &i.instance_id == id) {
                    Some(i) => format!("{} ({id})", i.instance_name),
                    None => id.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if !attached.is_empty() {
        let (region, disk, ids) = (region.clone(), disk.clone(), attached.clone());
        start_guided.set_value(Some(Box::new(move |name: String, description: String| {
            let known = untrack(|| instances.get()).unwrap_or_default();
            let plan = crate::guided::Plan {
                region: region.clone(),
                disk_id: disk.disk_id.clone(),
                disk_name: disk.name.clone(),
                instances: ids
                    .iter()
                    .map(|id| {
                        let name =
                            known.iter().find(|i| &i.instance_id == id).map(|i| i.instance_name.clone());
                        (id.clone(), name.unwrap_or_default())
                    })
                    .collect(),
                name,
                description,
                client_token: token.get_value(),
                snapshot_id: None,
                step: crate::guided::Step::Detach,
                requested: Vec::new(),
                failure: None,
                lease: None,
            };
            guided.start(plan);
            on_close.run(());
        })));
    }
    let attach_warning = (!attached.is_empty()).then(|| {
        let label = instance_label.clone();
        let label2 = instance_label.clone();
        let group = crate::host::uid("snapshot-way");
        view! {
            <fieldset class="dc-choice">
                <legend>{t(T::HowToSnapshot)}</legend>
                <label class="dc-choice__option">
                    <input type="radio" name=group.clone() prop:checked=move || guided_way.get() on:change=move |_| set_guided_way.set(true) />
                    <span><strong>{t(T::GuidedOption)}</strong><br/>{move || tf(T::GuidedOptionHelp, &[("instances", &label())])}</span>
                </label>
                <label class="dc-choice__option">
                    <input type="radio" name=group prop:checked=move || !guided_way.get() on:change=move |_| set_guided_way.set(false) />
                    <span><strong>{t(T::WhileAttachedOption)}</strong><br/>{t(T::WhileAttachedHelp)}</span>
                </label>
                <p class="dc-note dc-note--warn" role="note" hidden=move || guided_way.get()>{move || { let (before, after) = t(T::AttachedAdvice).split_once("{instance}").unwrap_or((t(T::AttachedAdvice), "")); format!("{before}{}{after}", label2()) }}</p>
            </fieldset>
        }
    });

    let takes = match live.estimate_secs(&region, disk.disk_type.as_str(), disk.disk_size_gb) {
        Some(secs) => {
            tf(T::TakesLonger, &[("size", &capacity_gib(disk.disk_size_gb)), ("estimate", &about(secs))])
        }
        None => tf(T::TakesLongerUnknown, &[("size", &capacity_gib(disk.disk_size_gb))]),
    };
    let size = capacity_gib(disk.disk_size_gb);
    let region_label = region.clone();
    let quota_line = move || quota.get().map(|q| crate::components::quota::quota_line(&q, &region_label));
    let chars = move || description.with(|d| d.chars().count());

    view! {
        <Modal title_id=crate::host::uid("create-snapshot-title") on_close=on_close>
            <form on:submit=on_submit novalidate>
                <h2 id=crate::host::uid("create-snapshot-title")>{t(T::CreateSnapshot)}</h2>
                <dl class="dc-facts">
                    <dt>{t(T::Disk)}</dt>
                    <dd>{disk.name.clone()} " " <span class="dc-id">{disk.disk_id.clone()}</span></dd>
                    <dt>{t(T::Capacity)}</dt>
                    <dd>{size.clone()}</dd>
                    <dt>{t(T::Region)}</dt>
                    <dd>{region.clone()}</dd>
                </dl>
                <p class="dc-quota-line">{quota_line}</p>
                {move || quota_full().map(|reason| {
                    let href = format!("/snapshots?region={}", disk_api::query::encode_component(&region_for_link));
                    view! { <p class="dc-field__error" role="alert">{reason} " " <span on:click=move |_| on_close.run(())><crate::router::Link href=href>{t(T::GoToSnapshotList)}</crate::router::Link></span></p> }
                })}

                <div class="dc-field">
                    <label for=crate::host::uid("snapshot-name")>{t(T::Name)}</label>
                    <input
                        id=crate::host::uid("snapshot-name")
                        type="text"
                        required
                        autocomplete="off"
                        prop:value=name
                        aria-invalid=move || (touched.get() && name_problem().is_some()).to_string()
                        aria-describedby=crate::host::uids(&["snapshot-name-help", "snapshot-name-error"])
                        on:input=move |ev| {
                            set_touched.set(true);
                            set_name.set(event_target_value(&ev));
                        }
                    />
                    <p id=crate::host::uid("snapshot-name-help") class="dc-field__help">
                        {t(T::NameHelp)}
                    </p>
                    <p id=crate::host::uid("snapshot-name-error") class="dc-field__error" aria-live="polite">
                        {move || touched.get().then(name_problem).flatten().map(|p| name_problem_text(&p))}
                    </p>
                </div>
                <div class="dc-field">
                    <label for=crate::host::uid("snapshot-description")>{t(T::Description)}</label>
                    <textarea
                        id=crate::host::uid("snapshot-description")
                        rows="3"
                        prop:value=description
                        aria-describedby=crate::host::uids(&["snapshot-description-count", "snapshot-description-error"])
                        on:input=move |ev| set_description.set(event_target_value(&ev))
                        on:keydown={
                            let submit = submit.clone();
                            move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Enter" && !ev.shift_key() {
                                    ev.prevent_default();
                                    submit();
                                }
                            }
                        }
                    ></textarea>
                    <p id=crate::host::uid("snapshot-description-count") class="dc-field__help">
                        {move || tf(T::DescriptionCount, &[("n", &chars().to_string()), ("max", &DESCRIPTION_MAX_CHARS.to_string())])}
                    </p>
                    <p id=crate::host::uid("snapshot-description-error") class="dc-field__error" aria-live="polite">
                        {move || description_problem().map(|p| description_problem_text(&p))}
                    </p>
                </div>

                <ul class="dc-guidance">
                    <li>{t(T::StopWrites)}</li>
                    <li>{takes}</li>
                    <li>{t(T::ManualKeptDialog)}</li>
                </ul>
                {attach_warning}

                {move || failure.get().map(|e| {
                    let id = e.request_id().map(|id| format!("{}{id}", t(T::RequestId)));
                    view! {
                        <div class="dc-error dc-error--inline" role="alert">
                            <p class="dc-error__message">{e.message()}</p>
                            {id.map(|id| view! { <p class="dc-error__detail">{id}</p> })}
                        </div>
                    }
                })}

                <DialogButtons on_cancel=on_close label=t(T::OkButton) disabled=Signal::derive(move || !can_submit()) />
                <p class="dc-field__help" aria-live="polite">{move || submitting.get().then_some(t(T::Creating))}</p>
            </form>
        </Modal>
    }
}
