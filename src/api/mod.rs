//! The thin fetch layer: the only code that speaks HTTP. One generic core decodes JD's envelope; one small
//! typed method per API operation, named after it.

mod error;

pub use error::ApiError;

use crate::config::Config;
use disk_api::query::{encode_component, ListQuery};
use disk_api::{DescribeDiskResult, DescribeDisksResult, Envelope};
use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Talks to one disk API endpoint. Cheap to clone; provided once through context.
#[derive(Clone, Debug)]
pub struct Client {
    base: Arc<str>,
}

impl Client {
    pub fn new(config: &Config) -> Self {
        Self { base: config.api_base.trim_end_matches('/').into() }
    }

    fn url(&self, region: &str, rest: &str) -> String {
        format!("{}/v1/regions/{}/{rest}", self.base, encode_component(region))
    }

    /// describeDisks: one page of the region's disks matching `query`.
    pub async fn describe_disks(
        &self,
        region: &str,
        query: &ListQuery,
    ) -> Result<DescribeDisksResult, ApiError> {
        let url = format!("{}?{}", self.url(region, "disks"), query.encode());
        send(Request::get(&url)).await
    }

    /// describeDisk: one disk.
    pub async fn describe_disk(&self, region: &str, disk_id: &str) -> Result<DescribeDiskResult, ApiError> {
        send(Request::get(&self.url(region, &format!("disks/{}", encode_component(disk_id))))).await
    }
}

/// Sends a request and decodes JD's envelope. The request is aborted when the reactive scope that started it
/// is cleaned up (the page went away, or a newer request replaced it).
async fn send<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let controller = SendWrapper::new(controller);
    on_cleanup(move || {
        if let Some(c) = controller.take() {
            c.abort();
        }
    });
    let resp = req
        .abort_signal(signal.as_ref())
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = resp.status();
    let header_id = resp.headers().get("x-jdcloud-request-id");
    let text = resp.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    decode(status, header_id, &text)
}

/// Turns a response into the operation's result or a typed error.
pub fn decode<T: DeserializeOwned>(
    status: u16,
    header_id: Option<String>,
    body: &str,
) -> Result<T, ApiError> {
    let envelope: Envelope<T> = match serde_json::from_str(body) {
        Ok(e) => e,
        Err(e) => {
            return Err(ApiError::Decode {
                http_status: status,
                message: e.to_string(),
                request_id: header_id,
            })
        }
    };
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
    use disk_api::Quota;

    #[test]
    fn decodes_results_and_errors() {
        let ok: Result<disk_api::DescribeQuotaResult, _> =
            decode(200, None, r#"{"requestId":"r1","result":{"quota":{"limit":15,"used":2}}}"#);
        assert_eq!(ok.unwrap().quota, Quota { limit: 15, used: 2 });

        let err: Result<disk_api::DescribeQuotaResult, _> = decode(
            404,
            Some("hdr".into()),
            r#"{"requestId":"r2","error":{"code":404,"status":"NOT_FOUND","message":"Disk 'vol-x' not found"}}"#,
        );
        assert_eq!(
            err.unwrap_err(),
            ApiError::Api {
                code: 404,
                status: "NOT_FOUND".into(),
                message: "Disk 'vol-x' not found".into(),
                request_id: "r2".into()
            }
        );
    }

    #[test]
    fn a_proxy_page_is_a_decode_error_with_the_header_id() {
        let err: Result<disk_api::DescribeQuotaResult, _> =
            decode(502, Some("hdr".into()), "<html>Bad gateway</html>");
        match err.unwrap_err() {
            ApiError::Decode { http_status, request_id, .. } => {
                assert_eq!(http_status, 502);
                assert_eq!(request_id.as_deref(), Some("hdr"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
