//! Whole responses to GET requests, cached and served again while the content they were
//! made from is unchanged.
//!
//! Freshness comes from the database, never from a timer: every write to content bumps the
//! content revision in its transaction (`db::bump_content_revision`), and a cached response
//! is served only if the revision it was made at is the one read *after* the request
//! arrived. So a write is visible to the very next request on every instance. The read is
//! shared: on each worker one query serves every request that arrived while the previous
//! query ran, so under load the check costs next to nothing per request.
//!
//! Some pages also depend on the date (a decision past its "revisit by" date is due for
//! review), so a response is served again only on the UTC day it was made.
//!
//! A body is kept compressed in every coding a client may ask for (`web::encoding`), so a
//! browser's hit costs what any other hit costs. The compression runs after the response
//! that missed has gone, once per address however many missed together.

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use actix_session::{SessionExt, SessionStatus};
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    CONTENT_ENCODING, CONTENT_TYPE, ContentEncoding, ETAG, HeaderMap, HeaderName, HeaderValue,
    SET_COOKIE, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, Data};
use actix_web::{HttpResponse, error::ErrorInternalServerError};
use chrono::{NaiveDate, Utc};
use quick_cache::Weighter;
use tokio::sync::watch;

use crate::db::{self, Db};
use crate::web::encoding::{self, Encoded};
use crate::web::session;

/// Says whether a response came from the cache (`hit`) or was made and kept (`miss`).
const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// The headers a cached response is served again with: what the body is, and which version
/// of an item it shows (a client sends that back in `If-Match`).
const KEPT_HEADERS: [HeaderName; 2] = [CONTENT_TYPE, ETAG];

/// The responses, shared by all workers, bounded by their size in bytes.
pub struct ResponseCache {
    entries: quick_cache::sync::Cache<String, Arc<Cached>, BySize>,
    /// The addresses whose responses are being compressed to be kept.
    in_progress: Mutex<HashSet<String>>,
}

struct Cached {
    revision: i64,
    day: NaiveDate,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Encoded,
}

#[derive(Clone)]
struct BySize;

impl Weighter<String, Arc<Cached>> for BySize {
    fn weight(&self, key: &String, value: &Arc<Cached>) -> u64 {
        (key.len() + value.body.size()) as u64
    }
}

/// A guess at the size of a response, to size the cache's index.
const TYPICAL_RESPONSE: u64 = 8 * 1024;

impl ResponseCache {
    /// A cache of at most `bytes` of responses; `None` when `bytes` is 0 (caching off).
    pub fn with_capacity(bytes: u64) -> Option<Self> {
        (bytes > 0).then(|| Self {
            entries: quick_cache::sync::Cache::with_weighter(
                usize::try_from(bytes / TYPICAL_RESPONSE)
                    .unwrap_or(usize::MAX)
                    .max(16),
                bytes,
                BySize,
            ),
            in_progress: Mutex::default(),
        })
    }

    /// Marks `key` as being compressed (`true`: false if it already was) or done (`false`).
    fn compressing(&self, key: &str, start: bool) -> bool {
        let Ok(mut in_progress) = self.in_progress.lock() else {
            return false;
        };
        if start {
            in_progress.insert(key.to_owned())
        } else {
            in_progress.remove(key)
        }
    }
}

/// One worker's reader of the content revision (see the module's comment).
#[derive(Clone)]
pub struct Revisions {
    db: Db,
    state: Rc<RevisionState>,
}

struct RevisionState {
    /// How many reads have been started.
    started: Cell<u64>,
    running: Cell<bool>,
    /// A request arrived while a read was running: it needs the next one.
    wanted: Cell<bool>,
    /// The last finished read: its number and what it found (`None`: the read failed).
    latest: watch::Sender<(u64, Option<i64>)>,
}

impl Revisions {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            state: Rc::new(RevisionState {
                started: Cell::new(0),
                running: Cell::new(false),
                wanted: Cell::new(false),
                latest: watch::Sender::new((0, None)),
            }),
        }
    }

    /// The content revision, read by a query that started after this call.
    pub async fn current(&self) -> Option<i64> {
        let state = &self.state;
        let needed = if state.running.get() {
            state.wanted.set(true);
            state.started.get() + 1
        } else {
            self.start();
            state.started.get()
        };
        let mut latest = state.latest.subscribe();
        let seen = latest.wait_for(|(read, _)| *read >= needed).await.ok()?;
        seen.1
    }

    fn start(&self) {
        let state = &self.state;
        state.started.set(state.started.get() + 1);
        state.running.set(true);
        let read = state.started.get();
        let revisions = self.clone();
        actix_web::rt::spawn(async move {
            let revision = match revisions.db.run(db::content_revision).await {
                Ok(revision) => Some(revision),
                Err(e) => {
                    log::warn!("cannot read the content revision, not caching: {e}");
                    None
                }
            };
            let state = &revisions.state;
            state.latest.send_replace((read, revision));
            state.running.set(false);
            if state.wanted.replace(false) {
                revisions.start();
            }
        });
    }
}

/// The cache and the current content revision, for a GET when caching is on.
async fn cacheable(req: &ServiceRequest) -> Option<(Data<ResponseCache>, i64)> {
    // A signed-in reader's pages carry their name and tokens: never shared.
    if req.method() != Method::GET || session::has_session_cookie(req.request()) {
        return None;
    }
    let cache = req.app_data::<Data<ResponseCache>>()?.clone();
    let revisions = req.app_data::<Revisions>()?.clone();
    Some((cache, revisions.current().await?))
}

/// Middleware: answers a GET from the cache when the content is unchanged since the
/// response was made, and keeps successful responses for next time.
pub async fn serve_cached(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some((cache, revision)) = cacheable(&req).await else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = req.uri().to_string();
    let today = Utc::now().date_naive();
    let coding = encoding::negotiate(req.request());
    if let Some(hit) = cache
        .entries
        .get(&key)
        .filter(|hit| hit.revision == revision && hit.day == today)
    {
        let mut response = HttpResponse::Ok().body(hit.body.get(coding).clone());
        let headers = response.headers_mut();
        headers.insert(X_CACHE, HeaderValue::from_static("hit"));
        for (name, value) in &hit.headers {
            headers.insert(name.clone(), value.clone());
        }
        mark_coding(headers, coding);
        return Ok(req.into_response(response));
    }

    let res = next.call(req).await?;
    // A response that started or changed a session (the login form's CSRF token) is that
    // reader's alone; the session's cookie is only added further out.
    let session_touched = res.request().get_session().status() != SessionStatus::Unchanged;
    if res.status() != StatusCode::OK || res.headers().contains_key(SET_COOKIE) || session_touched {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let body = body::to_bytes(body)
        .await
        .map_err(|e| ErrorInternalServerError(e.into().to_string()))?;
    let headers = KEPT_HEADERS
        .into_iter()
        .filter_map(|name| {
            let value = res.headers().get(&name)?.clone();
            Some((name, value))
        })
        .collect();
    keep(cache, key, revision, today, headers, body.clone());
    // This reader is not kept waiting for the dense compression: `encoding::compress`
    // encodes their copy quickly.
    let mut res = res.set_body(BoxBody::new(body));
    let headers = res.headers_mut();
    headers.insert(X_CACHE, HeaderValue::from_static("miss"));
    mark_coding(headers, ContentEncoding::Identity);
    Ok(ServiceResponse::new(req, res))
}

/// Compresses a response on the blocking pool and keeps it, unless another request is
/// already doing so for the same address.
fn keep(
    cache: Data<ResponseCache>,
    key: String,
    revision: i64,
    day: NaiveDate,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
) {
    if !cache.compressing(&key, true) {
        return;
    }
    actix_web::rt::spawn(async move {
        match web::block(move || Encoded::compress(body)).await {
            Ok(Ok(body)) => {
                let cached = Cached {
                    revision,
                    day,
                    headers,
                    body,
                };
                cache.entries.insert(key.clone(), Arc::new(cached));
            }
            Ok(Err(e)) => log::warn!("cannot compress {key} to keep it: {e}"),
            Err(e) => log::warn!("cannot compress {key} to keep it: {e}"),
        }
        cache.compressing(&key, false);
    });
}

/// Says which coding a body is in, and that the coding follows the request's
/// `Accept-Encoding`. `encoding::compress` leaves a body that names its coding alone.
fn mark_coding(headers: &mut HeaderMap, coding: ContentEncoding) {
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if coding != ContentEncoding::Identity {
        headers.insert(CONTENT_ENCODING, coding.to_header_value());
    }
}
