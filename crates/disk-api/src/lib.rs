//! The wire contract of JD Cloud's Cloud Disk Service OpenAPI v1, shared by the browser console and the
//! emulated region: models with their exact JSON names, statuses that keep unknown values, the success and
//! error envelopes, the flattened query encoding of filters and paging, and the validation rules.
//!
//! No I/O lives here: the same code runs in the server and in the browser.

pub mod console_url;
mod envelope;
mod model;
pub mod query;
pub mod region;
mod status;
pub mod time;
pub mod validate;

pub use envelope::{Envelope, ErrorBody, ErrorCode};
pub use model::*;
pub use status::*;
