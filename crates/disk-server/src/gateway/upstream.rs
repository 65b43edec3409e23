//! Talking to JD Cloud: one pooled HTTPS client (rustls), each try signed afresh, retries with jittered
//! backoff where a repeat is safe, answers read up to a size limit.

use super::ops::Operation;
use crate::credentials::Credentials;
use crate::sign;
use axum::http::Method;
use backon::{ExponentialBuilder, Retryable};
use bytes::Bytes;
use std::time::Duration;

/// The largest answer passed on.
pub const MAX_ANSWER_BYTES: usize = 10 * 1024 * 1024;
/// At most this many tries of one request.
pub const MAX_TRIES: usize = 3;

/// Where each service is: `https://{service}.jdcloud-api.com`, or one URL for every service.
#[derive(Clone, Debug)]
pub struct Endpoint {
    template: String,
}

/// The base URL of one service and the host (with a port when not the scheme's default) it is signed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceUrl {
    pub base: String,
    pub host: String,
}

impl Endpoint {
    /// Checks the template: it must give an `https://` URL for every service, or `http://` to a loopback
    /// address (tests, a local signature-checking emulator).
    pub fn new(template: &str) -> Result<Self, String> {
        let e = Self { template: template.trim().trim_end_matches('/').to_owned() };
        for service in ["disk", "vm"] {
            e.service(service)?;
        }
        Ok(e)
    }

    pub fn service(&self, service: &str) -> Result<ServiceUrl, String> {
        let text = self.template.replace("{service}", service);
        let url = reqwest::Url::parse(&text)
            .map_err(|e| format!("--jdcloud-endpoint '{text}' is not a URL: {e}"))?;
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
            return Err(format!(
                "--jdcloud-endpoint '{}' must not carry credentials or a query",
                url.host_str().unwrap_or("")
            ));
        }
        let host_name = url.host_str().ok_or_else(|| format!("--jdcloud-endpoint '{text}' has no host"))?;
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(format!("--jdcloud-endpoint '{text}': plain http:// only to a loopback address"))
            }
            other => return Err(format!("--jdcloud-endpoint '{text}': scheme {other} is not https")),
        }
        let host = match url.port() {
            Some(p) => format!("{host_name}:{p}"),
            None => host_name.to_owned(),
        };
        Ok(ServiceUrl { base: text.trim_end_matches('/').to_owned(), host })
    }
}

/// An answer from the cloud, passed on as it is.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub request_id: Option<String>,
    pub body: Bytes,
}

/// Why the cloud's answer could not be had.
#[derive(Debug)]
pub enum Failure {
    /// No connection, or it broke.
    Unreachable,
    /// No answer in time.
    Timeout,
    /// An answer over [`MAX_ANSWER_BYTES`].
    TooLarge,
    /// An answer worth another try (429, 500, 502, 503, 504); kept to pass on when no try is left.
    Retryable(Answer),
}

impl Failure {
    fn worth_retrying(&self) -> bool {
        matches!(self, Self::Unreachable | Self::Timeout | Self::Retryable(_))
    }
}

fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

pub struct Upstream {
    client: reqwest::Client,
    endpoint: Endpoint,
    backoff: ExponentialBuilder,
}

/// What to send.
pub struct Call<'a> {
    pub operation: &'static Operation,
    pub method: &'a Method,
    pub region: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub body: Bytes,
}

impl Upstream {
    pub fn new(endpoint: Endpoint, connect_timeout: Duration, timeout: Duration) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .user_agent(concat!("disk-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot make the HTTPS client: {e}"))?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(2))
            .with_jitter()
            .with_max_times(MAX_TRIES - 1);
        Ok(Self { client, endpoint, backoff })
    }

    /// Sends a call, trying again (at most [`MAX_TRIES`] in all) on network errors, timeouts and 429/5xx
    /// answers, but only for operations where a repeat is safe (see [`Operation::retry_safe`]). Each try
    /// is signed afresh (new date and nonce) with the credentials in force when the call started.
    pub async fn send(&self, creds: &Credentials, call: Call<'_>) -> Result<Answer, Failure> {
        let url = self.endpoint.service(call.operation.service).map_err(|_| Failure::Unreachable)?;
        let attempt = || self.try_once(creds, &url, &call);
        let result = if call.operation.retry_safe {
            attempt
                .retry(self.backoff)
                .sleep(tokio::time::sleep)
                .when(Failure::worth_retrying)
                .notify(|f, after| {
                    tracing::info!(
                        operation = call.operation.name,
                        "JD Cloud: {}; trying again in {after:?}",
                        describe(f)
                    )
                })
                .await
        } else {
            attempt().await
        };
        match result {
            Err(Failure::Retryable(answer)) => Ok(answer),
            other => other,
        }
    }

    async fn try_once(
        &self,
        creds: &Credentials,
        url: &ServiceUrl,
        call: &Call<'_>,
    ) -> Result<Answer, Failure> {
        let nonce = uuid::Uuid::new_v4().to_string();
        let now = crate::clock::Clock::now_ms(&crate::clock::SystemClock);
        let signed = sign::sign_for_gateway(
            creds,
            call.method.as_str(),
            &url.host,
            call.path,
            call.query,
            "application/json",
            &call.body,
            call.region,
            call.operation.service,
            now,
            &nonce,
        );
        let mut target = format!("{}{}", url.base, signed.path);
        if !signed.query.is_empty() {
            target.push('?');
            target.push_str(&signed.query);
        }
        let mut req = self
            .client
            .request(call.method.clone(), &target)
            .header("host", &url.host)
            .header("content-type", "application/json")
            .header("accept", "application/json");
        for (name, value) in &signed.headers {
            req = req.header(*name, value);
        }
        if !call.body.is_empty() {
            req = req.body(call.body.clone());
        }
        let mut resp = req.send().await.map_err(classify)?;
        let status = resp.status().as_u16();
        let header = |n: &str| resp.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let content_type = header("content-type");
        let request_id = header(crate::error::REQUEST_ID_HEADER);
        if resp.content_length().is_some_and(|n| n > MAX_ANSWER_BYTES as u64) {
            return Err(Failure::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Failure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let answer = Answer { status, content_type, request_id, body: body.into() };
        if retryable_status(status) {
            Err(Failure::Retryable(answer))
        } else {
            Ok(answer)
        }
    }
}

/// A client error, without its URL (which is never shown).
fn classify(e: reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Unreachable
    }
}

pub fn describe(f: &Failure) -> String {
    match f {
        Failure::Unreachable => "not reached".into(),
        Failure::Timeout => "no answer in time".into(),
        Failure::TooLarge => "answer too large".into(),
        Failure::Retryable(a) => format!("answered {}", a.status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = Endpoint::new("https://{service}.jdcloud-api.com").unwrap();
        assert_eq!(
            e.service("vm").unwrap(),
            ServiceUrl { base: "https://vm.jdcloud-api.com".into(), host: "vm.jdcloud-api.com".into() }
        );
        let one = Endpoint::new("http://127.0.0.1:9000/").unwrap();
        assert_eq!(one.service("disk").unwrap().host, "127.0.0.1:9000");
        assert_eq!(one.service("vm").unwrap().base, "http://127.0.0.1:9000");
        assert_eq!(
            Endpoint::new("https://example.com:443").unwrap().service("disk").unwrap().host,
            "example.com"
        );
        assert!(Endpoint::new("http://disk.jdcloud-api.com").unwrap_err().contains("loopback"));
        assert!(Endpoint::new("http://localhost:1").is_ok());
        assert!(Endpoint::new("http://[::1]:1").is_ok());
        assert!(Endpoint::new("ftp://x").is_err());
        assert!(Endpoint::new("https://user:pw@x").is_err());
        assert!(Endpoint::new("nonsense").is_err());
    }
}
