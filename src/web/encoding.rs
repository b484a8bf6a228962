//! Content codings: bodies compressed once and served as each client asks for them.
//!
//! The response cache keeps every body in each coding it serves (identity, gzip and
//! brotli), compressed once at the highest settings when the body is kept, so a hit costs a
//! copy of a reference whatever the client accepts. A response made afresh is compressed by
//! [`compress`] at fast settings (gzip where the client takes it: see [`negotiate_fresh`]), on
//! the worker that made it and at once: no hop to another
//! thread, and one encoder's memory at a time per worker, however many responses wait to be
//! sent.
//!
//! An encoded representation is a different representation: its ETag carries the coding
//! (`"12-3-br"`), as HTTP asks, and a write's `If-Match` takes any coding of the version it
//! names.

use std::io::Write;

use actix_web::HttpRequest;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    self, AcceptEncoding, ContentEncoding, ETAG, Encoding, EntityTag, Header, HeaderValue,
};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// The codings a cached body is kept in, the client's preference deciding between them.
const CODINGS: [Encoding; 3] = [Encoding::brotli(), Encoding::gzip(), Encoding::identity()];

/// Brotli's densest setting: slow to compress (a few milliseconds for a page), paid once
/// per page and revision, and the smallest body for every reader after.
const BROTLI_QUALITY: u32 = 11;

/// The smallest window brotli takes, and the largest worth having: the encoder's memory
/// grows with its window, and a window larger than the body buys nothing.
const BROTLI_WINDOW_BITS: std::ops::RangeInclusive<u32> = 10..=22;

/// The window for a body of `len` bytes: the smallest that holds it whole.
fn brotli_window(len: usize) -> u32 {
    let needed = usize::BITS - len.max(1).leading_zeros();
    needed.clamp(*BROTLI_WINDOW_BITS.start(), *BROTLI_WINDOW_BITS.end())
}

/// The coding to answer `req` with: its `Accept-Encoding` weighed against what the cache
/// keeps. Identity when the header is missing, unreadable or accepts nothing we keep.
pub fn negotiate(req: &HttpRequest) -> ContentEncoding {
    AcceptEncoding::parse(req).map_or(ContentEncoding::Identity, |accepted| {
        chosen(&accepted, &CODINGS)
    })
}

/// Which of `codings` the client's `accepted` prefers; identity for none of them.
fn chosen(accepted: &AcceptEncoding, codings: &[Encoding]) -> ContentEncoding {
    match accepted.negotiate(codings.iter()) {
        Some(Encoding::Known(coding)) => coding,
        _ => ContentEncoding::Identity,
    }
}

/// The coding to compress a response made afresh in: gzip whenever the client takes it, as
/// every browser does, since it costs a fraction of brotli's time for a body a quarter larger
/// (see [`FRESH_GZIP_LEVEL`]); brotli for a client that takes it alone.
fn negotiate_fresh(req: &HttpRequest) -> ContentEncoding {
    let Ok(accepted) = AcceptEncoding::parse(req) else {
        return ContentEncoding::Identity;
    };
    match chosen(&accepted, &CODINGS) {
        ContentEncoding::Brotli
            if chosen(&accepted, &[Encoding::gzip()]) == ContentEncoding::Gzip =>
        {
            ContentEncoding::Gzip
        }
        coding => coding,
    }
}

/// One body in every coding the cache serves.
#[derive(Debug)]
pub struct Encoded {
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

/// `body` in gzip at `level`.
fn gzip(body: &[u8], level: flate2::Compression) -> std::io::Result<Vec<u8>> {
    let mut gzip = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), level);
    gzip.write_all(body)?;
    gzip.finish()
}

/// `body` in brotli at `quality`, with the smallest window that holds it.
fn brotli(body: &[u8], quality: u32) -> std::io::Result<Vec<u8>> {
    let mut brotli = Vec::with_capacity(body.len() / 4);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut brotli, 4096, quality, brotli_window(body.len()));
        writer.write_all(body)?;
    }
    Ok(brotli)
}

impl Encoded {
    /// Compresses `body` in each coding. CPU-bound: run it off the async workers.
    pub fn compress(body: Bytes) -> std::io::Result<Self> {
        Ok(Self {
            gzip: gzip(&body, flate2::Compression::best())?.into(),
            brotli: brotli(&body, BROTLI_QUALITY)?.into(),
            identity: body,
        })
    }

    /// The body in `coding` (identity for a coding not kept).
    pub fn get(&self, coding: ContentEncoding) -> &Bytes {
        match coding {
            ContentEncoding::Gzip => &self.gzip,
            ContentEncoding::Brotli => &self.brotli,
            _ => &self.identity,
        }
    }

    /// The bytes held, every coding together: what the cache weighs.
    pub fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len()
    }
}

/// The ETag suffix that names a coding, if it is one the responses are encoded in.
fn suffix(coding: &str) -> Option<&'static str> {
    match coding {
        "gzip" => Some("-gzip"),
        "br" => Some("-br"),
        _ => None,
    }
}

/// The ETag of `tag`'s representation in `coding`, as [`compress`] makes it.
pub fn encoded_tag(tag: &EntityTag, coding: &str) -> EntityTag {
    match suffix(coding) {
        Some(suffix) => EntityTag::new(tag.weak, format!("{}{suffix}", tag.tag())),
        None => tag.clone(),
    }
}

/// The item's own tag, whichever coding of it `tag` names.
pub fn unencoded_tag(tag: &str) -> &str {
    ["-gzip", "-br"]
        .into_iter()
        .find_map(|suffix| tag.strip_suffix(suffix))
        .unwrap_or(tag)
}

/// Gzip's level for a response made afresh, and brotli's for a client that takes brotli
/// alone: fast settings, since the compression is paid on every such response. Measured on
/// the 42 KB comparison page: gzip 1 takes 72 us for 7.8 KB; brotli 3 takes 419 us and
/// brotli 4 240 us, for 6.1 and 5.8 KB.
const FRESH_GZIP_LEVEL: flate2::Compression = flate2::Compression::fast();
const FRESH_BROTLI_QUALITY: u32 = 4;

/// Bodies smaller than this go as they are: compressing them saves less than it costs.
const SMALLEST_COMPRESSED: usize = 1024;

/// Whether a response of this type is text, which compresses (images, archives and the
/// like are compressed already).
fn is_text(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence,
            "application/json" | "application/xml" | "application/javascript"
        )
}

/// Middleware: a response made afresh is compressed in the coding the client prefers, at
/// once and on this worker (see the module's notes), with `Vary: accept-encoding`. A body
/// already in a coding (a cached page, a static file) is left as it is. Either way an
/// encoded response's ETag names its coding.
pub async fn compress(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let coding = negotiate_fresh(req.request());
    let res = next.call(req).await?.map_into_boxed_body();
    if res.headers().contains_key(header::CONTENT_ENCODING) {
        return Ok(tag_coding(res));
    }
    let text = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(is_text);
    if !text {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let vary = res.headers().get_all(header::VARY).any(|value| {
        value
            .to_str()
            .is_ok_and(|value| value.to_ascii_lowercase().contains("accept-encoding"))
    });
    if !vary {
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let body = match body.try_into_bytes() {
        Ok(body) => body,
        Err(streamed) => return Ok(ServiceResponse::new(req, res.set_body(streamed))),
    };
    let compressed = match coding {
        // Too small to gain.
        _ if body.len() < SMALLEST_COMPRESSED => None,
        ContentEncoding::Brotli => Some(brotli(&body, FRESH_BROTLI_QUALITY)),
        ContentEncoding::Gzip => Some(gzip(&body, FRESH_GZIP_LEVEL)),
        _ => None,
    };
    let res = match compressed {
        Some(Ok(compressed)) => {
            res.headers_mut()
                .insert(header::CONTENT_ENCODING, coding.to_header_value());
            res.set_body(BoxBody::new(compressed))
        }
        Some(Err(e)) => {
            log::warn!("cannot compress a response: {e}");
            res.set_body(BoxBody::new(body))
        }
        None => res.set_body(BoxBody::new(body)),
    };
    Ok(tag_coding(ServiceResponse::new(req, res)))
}

/// An encoded response's ETag names its coding.
fn tag_coding(mut res: ServiceResponse) -> ServiceResponse {
    let headers = res.headers();
    let Some(coding) = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|coding| coding.to_str().ok())
        .filter(|coding| suffix(coding).is_some())
    else {
        return res;
    };
    let Some(tag) = headers
        .get(ETAG)
        .and_then(|value| value.to_str().ok()?.parse::<EntityTag>().ok())
    else {
        return res;
    };
    if let Ok(value) = HeaderValue::from_str(&encoded_tag(&tag, coding).to_string()) {
        res.headers_mut().insert(ETAG, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use actix_web::test::TestRequest;

    use super::*;

    fn negotiated(accept: Option<&str>) -> ContentEncoding {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT_ENCODING, accept));
        }
        negotiate(&req.to_http_request())
    }

    #[test]
    fn the_client_chooses_among_the_kept_codings() {
        assert_eq!(negotiated(None), ContentEncoding::Identity);
        assert_eq!(negotiated(Some("gzip, br")), ContentEncoding::Brotli);
        assert_eq!(
            negotiated(Some("gzip, deflate, br, zstd")),
            ContentEncoding::Brotli
        );
        assert_eq!(negotiated(Some("gzip")), ContentEncoding::Gzip);
        assert_eq!(negotiated(Some("br;q=0.5, gzip")), ContentEncoding::Gzip);
        assert_eq!(negotiated(Some("deflate")), ContentEncoding::Identity);
        assert_eq!(negotiated(Some("identity")), ContentEncoding::Identity);
        assert_eq!(
            negotiated(Some("br;q=0, gzip;q=0")),
            ContentEncoding::Identity
        );
        // Any coding: actix, and so the responses made afresh, answer with the body as it is.
        assert_eq!(negotiated(Some("*")), ContentEncoding::Identity);
        assert_eq!(
            negotiated(Some("gzip;q=much, br;;")),
            ContentEncoding::Identity
        );
    }

    #[test]
    fn a_response_made_afresh_is_gzipped_wherever_gzip_is_taken() {
        let fresh = |accept: &str| {
            negotiate_fresh(
                &TestRequest::default()
                    .insert_header((header::ACCEPT_ENCODING, accept))
                    .to_http_request(),
            )
        };
        assert_eq!(fresh("gzip, deflate, br, zstd"), ContentEncoding::Gzip);
        assert_eq!(fresh("br;q=1, gzip;q=0.5"), ContentEncoding::Gzip);
        assert_eq!(fresh("br"), ContentEncoding::Brotli);
        assert_eq!(fresh("br, gzip;q=0"), ContentEncoding::Brotli);
        assert_eq!(fresh("identity"), ContentEncoding::Identity);
    }

    #[test]
    fn every_coding_decodes_to_the_body() {
        let body = Bytes::from("<p>Go or Rust?</p>\n".repeat(200));
        let encoded = Encoded::compress(body.clone()).expect("compresses");
        assert_eq!(encoded.get(ContentEncoding::Identity), &body);
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&encoded.get(ContentEncoding::Gzip)[..])
            .read_to_end(&mut gunzipped)
            .expect("gzip");
        assert_eq!(gunzipped, body);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&encoded.get(ContentEncoding::Brotli)[..], 4096)
            .read_to_end(&mut unbrotlied)
            .expect("brotli");
        assert_eq!(unbrotlied, body);
        assert!(encoded.get(ContentEncoding::Brotli).len() < body.len() / 10);
        assert_eq!(
            encoded.size(),
            body.len()
                + encoded.get(ContentEncoding::Gzip).len()
                + encoded.get(ContentEncoding::Brotli).len()
        );
    }

    #[test]
    fn text_is_compressed_and_what_is_compressed_already_is_not() {
        for text in [
            "text/html; charset=utf-8",
            "application/json",
            "application/problem+json",
            "application/atom+xml",
            "image/svg+xml",
            "text/markdown; charset=utf-8",
        ] {
            assert!(is_text(text), "{text}");
        }
        for binary in [
            "image/png",
            "application/gzip",
            "application/octet-stream",
            "",
        ] {
            assert!(!is_text(binary), "{binary}");
        }
    }

    #[test]
    fn the_window_holds_the_body_and_no_more() {
        assert_eq!(brotli_window(0), 10);
        assert_eq!(brotli_window(1000), 10);
        assert_eq!(brotli_window(1024), 11);
        assert_eq!(brotli_window(40_000), 16);
        assert_eq!(brotli_window(100 << 20), 22);
    }

    #[test]
    fn an_encoded_tag_names_the_item_it_encodes() {
        assert_eq!(unencoded_tag("12-3-br"), "12-3");
        assert_eq!(unencoded_tag("12-3-gzip"), "12-3");
        assert_eq!(unencoded_tag("12-3"), "12-3");
        assert_eq!(suffix("br"), Some("-br"));
        assert_eq!(suffix("identity"), None);
    }
}
