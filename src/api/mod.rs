//! The thin fetch layer: the only code that speaks HTTP. One generic core decodes JD's envelope; one small
//! typed method per API operation, named after it.
//!
//! Requests go through the browser's `fetch` directly (web-sys), and JSON is parsed by the browser
//! (`Response.json()`) and mapped onto the wire types with `serde-wasm-bindgen`: no HTTP or JSON library in
//! the wasm bundle.

mod error;

pub use error::ApiError;

use crate::config::{Config, Credentials};
use disk_api::query::{encode_component, ListQuery, QueryWriter};
use disk_api::*;
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};

/// A request about to be sent: its method and URL.
struct Request {
    method: &'static str,
    url: String,
}

impl Request {
    fn get(url: &str) -> Self {
        Self { method: "GET", url: url.to_owned() }
    }
    fn post(url: &str) -> Self {
        Self { method: "POST", url: url.to_owned() }
    }
    fn patch(url: &str) -> Self {
        Self { method: "PATCH", url: url.to_owned() }
    }
    fn delete(url: &str) -> Self {
        Self { method: "DELETE", url: url.to_owned() }
    }
}

/// Talks to one disk API endpoint. Cheap to clone; provided once through context.
#[derive(Clone, Debug)]
pub struct Client {
    base: Arc<str>,
    /// `credentials: "include"` on every request.
    include_credentials: bool,
    /// Extra headers for every request (from the configuration).
    headers: Arc<[(String, String)]>,
}

impl Client {
    pub fn new(config: &Config) -> Self {
        Self {
            base: config.api_base.trim_end_matches('/').into(),
            include_credentials: config.credentials == Credentials::Include,
            headers: config.headers.clone().into(),
        }
    }

    /// Sends a request now (not when first awaited: a view's request goes out while the view is still being
    /// built) and gives JD's envelope decoded into the operation's result. A body that cannot be encoded is
    /// the answer's error.
    fn send<T: DeserializeOwned + 'static>(
        &self,
        req: Request,
        body: Result<Option<String>, ApiError>,
    ) -> Answer<T> {
        let opened = send_and_open(self, req, body);
        Box::pin(async move {
            let (status, header_id, result) = opened.await?;
            serde_wasm_bindgen::from_value(result).map_err(|e| ApiError::Decode {
                http_status: status,
                message: e.to_string(),
                request_id: header_id,
            })
        })
    }

    fn url(&self, region: &str, rest: &str) -> String {
        format!("{}/v1/regions/{}/{rest}", self.base, encode_component(region))
    }

    /// describeDisks: one page of the region's disks matching `query`.
    pub fn describe_disks(&self, region: &str, query: &ListQuery) -> Answer<DescribeDisksResult> {
        self.send(Request::get(&format!("{}?{}", self.url(region, "disks"), query.encode())), Ok(None))
    }

    /// describeDisk: one disk.
    pub fn describe_disk(&self, region: &str, disk_id: &str) -> Answer<DescribeDiskResult> {
        self.send(Request::get(&self.url(region, &format!("disks/{}", encode_component(disk_id)))), Ok(None))
    }

    /// describeSnapshots: one page of the region's snapshots matching `query`.
    pub fn describe_snapshots(&self, region: &str, query: &ListQuery) -> Answer<DescribeSnapshotsResult> {
        self.send(Request::get(&format!("{}?{}", self.url(region, "snapshots"), query.encode())), Ok(None))
    }

    /// describeSnapshot.
    pub fn describe_snapshot(&self, region: &str, snapshot_id: &str) -> Answer<DescribeSnapshotResult> {
        let url = self.url(region, &format!("snapshots/{}", encode_component(snapshot_id)));
        self.send(Request::get(&url), Ok(None))
    }

    /// createSnapshot. The same `client_token` never creates twice, so a retry is always safe.
    pub fn create_snapshot(
        &self,
        region: &str,
        spec: SnapshotSpec,
        client_token: &str,
    ) -> Answer<CreateSnapshotResult> {
        let body =
            CreateSnapshotRequest { snapshot_spec: Some(spec), client_token: Some(client_token.to_owned()) };
        self.send(Request::post(&self.url(region, "snapshots")), json(&body).map(Some))
    }

    /// deleteSnapshot.
    pub fn delete_snapshot(&self, region: &str, snapshot_id: &str) -> Answer<Empty> {
        self.send(
            Request::delete(&self.url(region, &format!("snapshots/{}", encode_component(snapshot_id)))),
            Ok(None),
        )
    }

    /// deleteSnapshots: several at once, each succeeding or failing on its own.
    pub fn delete_snapshots(&self, region: &str, ids: &[String]) -> Answer<DeleteSnapshotsResult> {
        let mut q = QueryWriter::default();
        for (i, id) in ids.iter().enumerate() {
            q.pair(&format!("snapshotIds.{}", i + 1), id);
        }
        self.send(Request::delete(&format!("{}?{}", self.url(region, "snapshots"), q.0)), Ok(None))
    }

    /// modifySnapshotAttribute.
    pub fn modify_snapshot_attribute(
        &self,
        region: &str,
        snapshot_id: &str,
        change: &ModifySnapshotAttributeRequest,
    ) -> Answer<Empty> {
        let url = self.url(region, &format!("snapshots/{}", encode_component(snapshot_id)));
        self.send(Request::patch(&url), json(change).map(Some))
    }

    /// describeQuota of snapshots.
    pub fn describe_snapshot_quota(&self, region: &str) -> Answer<Quota> {
        let answer = self
            .send::<DescribeQuotaResult>(Request::get(&self.url(region, "quotas?type=snapshot")), Ok(None));
        Box::pin(async move { answer.await.map(|r| r.quota) })
    }

    /// describeQuota of disks.
    pub fn describe_disk_quota(&self, region: &str) -> Answer<Quota> {
        let answer =
            self.send::<DescribeQuotaResult>(Request::get(&self.url(region, "quotas?type=disk")), Ok(None));
        Box::pin(async move { answer.await.map(|r| r.quota) })
    }

    /// createDisks: one disk of `spec`, idempotent per `client_token`.
    pub fn create_disk(&self, region: &str, spec: DiskSpec, client_token: &str) -> Answer<CreateDisksResult> {
        let body = CreateDisksRequest {
            disk_spec: Some(spec),
            max_count: Some(1),
            client_token: Some(client_token.into()),
        };
        self.send(Request::post(&self.url(region, "disks")), json(&body).map(Some))
    }

    /// restoreDisk: rolls a detached disk back to one of its snapshots.
    pub fn restore_disk(&self, region: &str, disk_id: &str, snapshot_id: &str) -> Answer<Empty> {
        let url = self.url(region, &format!("disks/{}%3Arestore", encode_component(disk_id)));
        let body = RestoreDiskRequest { snapshot_id: Some(snapshot_id.to_owned()) };
        self.send(Request::post(&url), json(&body).map(Some))
    }

    /// disk-server's own `GET /_console/session` (not JD's API): the backend, and the user and role.
    pub fn describe_session(&self) -> Answer<ConsoleSession> {
        self.send(Request::get(&format!("{}/_console/session", self.base)), Ok(None))
    }

    /// describeInstances (VM service): names of the instances disks are attached to.
    pub fn describe_instances(&self, region: &str) -> Answer<DescribeInstancesResult> {
        self.send(Request::get(&self.url(region, "instances")), Ok(None))
    }

    /// detachDisk (VM service).
    pub fn detach_disk(&self, region: &str, instance_id: &str, disk_id: &str) -> Answer<Empty> {
        self.disk_on_instance(region, instance_id, "detachDisk", disk_id)
    }

    /// attachDisk (VM service).
    pub fn attach_disk(&self, region: &str, instance_id: &str, disk_id: &str) -> Answer<Empty> {
        self.disk_on_instance(region, instance_id, "attachDisk", disk_id)
    }

    fn disk_on_instance(&self, region: &str, instance: &str, verb: &str, disk: &str) -> Answer<Empty> {
        let url = self.url(region, &format!("instances/{}%3A{verb}", encode_component(instance)));
        let body = DiskOnInstanceRequest { disk_id: Some(disk.to_owned()), ..Default::default() };
        self.send(Request::post(&url), json(&body).map(Some))
    }
}

/// A request body as JSON text.
fn json<T: Serialize>(body: &T) -> Result<String, ApiError> {
    let value = serde_wasm_bindgen::to_value(body).map_err(|e| ApiError::Decode {
        http_status: 0,
        message: e.to_string(),
        request_id: None,
    })?;
    js_sys::JSON::stringify(&value).map(String::from).map_err(|_| ApiError::Decode {
        http_status: 0,
        message: "cannot encode".into(),
        request_id: None,
    })
}

/// An envelope's `result` as the browser parsed it, mapped onto the operation's own type afterwards, so
/// that the envelope's decoding exists once in the bundle rather than once per operation.
struct Kept(JsValue);

impl<'de> serde::Deserialize<'de> for Kept {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d).map(Kept)
    }
}

/// Sends the request and opens JD's envelope: the status, the request ID header and the `result` member,
/// or the typed error. Not generic: every operation shares it.
fn send_and_open(
    client: &Client,
    req: Request,
    body: Result<Option<String>, ApiError>,
) -> crate::task::Boxed<Result<Raw, ApiError>> {
    let sent = body.map(|body| fetch_json(client, req, body));
    Box::pin(async move {
        let (status, header_id, value) = sent?.await?;
        let envelope: Envelope<Kept> = serde_wasm_bindgen::from_value(value).map_err(|e| {
            ApiError::Decode { http_status: status, message: e.to_string(), request_id: header_id.clone() }
        })?;
        open_envelope(status, header_id.clone(), envelope).map(|Kept(result)| (status, header_id, result))
    })
}

/// `console-config.json`: the parsed object, `Ok(None)` when there is none (any 404), or why it is unusable.
pub async fn fetch_settings_file(url: &str) -> Result<Option<JsValue>, String> {
    let resp = wasm_bindgen_futures::JsFuture::from(leptos::prelude::window().fetch_with_str(url)).await;
    let resp = match resp.map(JsCast::unchecked_into::<web_sys::Response>) {
        Ok(r) if r.status() == 404 => return Ok(None),
        Ok(r) if r.ok() => r,
        Ok(r) => return Err(format!("{url}: HTTP {}", r.status())),
        Err(_) => return Ok(None),
    };
    let promise = resp.json().map_err(|_| format!("{url}: no body"))?;
    let value =
        wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| format!("{url}: not valid JSON"))?;
    Ok(Some(value))
}

/// What an operation gives: its result or a typed error, once awaited (the request is already sent).
pub type Answer<T> = crate::task::Boxed<Result<T, ApiError>>;

/// An answer as it came: its HTTP status, the request ID header and the parsed JSON.
type Raw = (u16, Option<String>, JsValue);

/// The one non-generic core every operation shares: sends the request at once and gives the answer. The
/// request is aborted when the reactive scope that sent it is cleaned up (the page went away, or a newer
/// request replaced it). Boxed, so its polling code exists once rather than in every operation's future.
fn fetch_json(
    client: &Client,
    req: Request,
    body: Option<String>,
) -> crate::task::Boxed<Result<Raw, ApiError>> {
    if req.method == "GET" {
        if let Some(answer) = answer_in_page(&req.url) {
            return Box::pin(async move { Ok((200, None, answer)) });
        }
    }
    let promise = match start_fetch(client, &req, body) {
        Ok(p) => p,
        Err(e) => return Box::pin(async move { Err(e) }),
    };
    Box::pin(async move {
        let resp: web_sys::Response =
            wasm_bindgen_futures::JsFuture::from(promise).await.map_err(network)?.unchecked_into();
        let status = resp.status();
        let header_id = resp.headers().get("x-jdcloud-request-id").ok().flatten();
        let decode_error = |message: &str| ApiError::Decode {
            http_status: status,
            message: message.to_owned(),
            request_id: header_id.clone(),
        };
        let promise = resp.json().map_err(|_| decode_error("the answer has no body"))?;
        let value = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|_| decode_error("the answer is not JSON"))?;
        Ok((status, header_id, value))
    })
}

thread_local! {
    /// The answers disk-server put in the page with the first view it rendered (`#disk-console-answers`:
    /// path and query → JD's envelope), read once; each is used once, by the first request for it.
    static IN_PAGE: Option<js_sys::Object> = leptos::prelude::document()
        .get_element_by_id("disk-console-answers")
        .and_then(|e| e.text_content())
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .and_then(|v| v.dyn_into().ok());
}

/// The answer in the page for a GET of `url` (on the page's own origin), taken out so that a later request
/// asks the server.
fn answer_in_page(url: &str) -> Option<JsValue> {
    IN_PAGE.with(|answers| {
        let answers = answers.as_ref()?;
        let origin = leptos::prelude::window().location().origin().ok()?;
        let u = web_sys::Url::new(url).ok()?;
        if u.origin() != origin {
            return None;
        }
        let key = JsValue::from_str(&format!("{}{}", u.pathname(), u.search()));
        let answer = js_sys::Reflect::get(answers, &key).ok().filter(|a| a.is_object())?;
        let _ = js_sys::Reflect::delete_property(answers, &key);
        Some(answer)
    })
}

/// Calls the browser's `fetch` for `req`, abortable through the current reactive scope.
fn start_fetch(client: &Client, req: &Request, body: Option<String>) -> Result<js_sys::Promise, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let controller = SendWrapper::new(controller);
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let init = web_sys::RequestInit::new();
    init.set_method(req.method);
    init.set_signal(signal.as_ref());
    if client.include_credentials {
        init.set_credentials(web_sys::RequestCredentials::Include);
    }
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("accept", "application/json").map_err(network)?;
    for (k, v) in client.headers.iter() {
        headers.set(k, v).map_err(network)?;
    }
    if let Some(b) = body {
        headers.set("content-type", "application/json").map_err(network)?;
        init.set_body(&JsValue::from_str(&b));
    }
    init.set_headers(&headers);
    Ok(leptos::prelude::window().fetch_with_str_and_init(&req.url, &init))
}

/// A request that got no answer: the browser's own message (`Failed to fetch`, an abort, a bad header).
fn network(e: JsValue) -> ApiError {
    ApiError::Network(
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "request failed".into()),
    )
}

/// The operation's result, or a typed error, from a decoded envelope.
pub fn open_envelope<T>(
    status: u16,
    header_id: Option<String>,
    envelope: Envelope<T>,
) -> Result<T, ApiError> {
    let request_id =
        if envelope.request_id.is_empty() { header_id.unwrap_or_default() } else { envelope.request_id };
    match (envelope.error, envelope.result) {
        (Some(e), _) => Err(ApiError::Api { code: e.code, status: e.status, message: e.message, request_id }),
        (None, Some(result)) if (200..300).contains(&status) => Ok(result),
        (None, _) => Err(ApiError::Decode {
            http_status: status,
            message: "the response has neither a result nor an error".into(),
            request_id: Some(request_id),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_and_errors() {
        let ok = open_envelope(200, None, Envelope::ok("r1", Quota { limit: 15, used: 2 }));
        assert_eq!(ok.unwrap(), Quota { limit: 15, used: 2 });

        let env = Envelope::<Quota>::err("r2", ErrorBody::new(ErrorCode::NotFound, "Disk 'vol-x' not found"));
        assert_eq!(
            open_envelope(404, Some("hdr".into()), env).unwrap_err(),
            ApiError::Api {
                code: 404,
                status: "NOT_FOUND".into(),
                message: "Disk 'vol-x' not found".into(),
                request_id: "r2".into()
            }
        );
    }

    #[test]
    fn the_header_id_stands_in_for_a_missing_one() {
        let env = Envelope::<Quota> { request_id: String::new(), result: None, error: None };
        match open_envelope(502, Some("hdr".into()), env).unwrap_err() {
            ApiError::Decode { http_status, request_id, .. } => {
                assert_eq!(http_status, 502);
                assert_eq!(request_id.as_deref(), Some("hdr"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
