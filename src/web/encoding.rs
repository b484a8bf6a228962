//! Content codings: bodies compressed once and served as each client asks for them.
//!
//! The response cache keeps every body in each coding it serves (identity, gzip and
//! brotli), compressed once at the highest settings when the body is kept, so a hit costs a
//! copy of a reference whatever the client accepts. Responses made afresh are compressed on
//! the fly by actix's `Compress` middleware, with gzip only (its brotli sets up a 4 MiB window
//! for every response: more work than the compression saves, and memory held after), and it
//! leaves alone a body already encoded.
//!
//! An encoded representation is a different representation: its ETag carries the coding
//! (`"12-3-br"`), as HTTP asks, and a write's `If-Match` takes any coding of the version it
//! names.

use std::io::Write;

use actix_web::HttpRequest;
use actix_web::body::MessageBody;
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
    let Ok(accepted) = AcceptEncoding::parse(req) else {
        return ContentEncoding::Identity;
    };
    match accepted.negotiate(CODINGS.iter()) {
        Some(Encoding::Known(coding)) => coding,
        _ => ContentEncoding::Identity,
    }
}

/// One body in every coding the cache serves.
#[derive(Debug)]
pub struct Encoded {
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Encoded {
    /// Compresses `body` in each coding. CPU-bound: run it off the async workers.
    pub fn compress(body: Bytes) -> std::io::Result<Self> {
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 3),
            flate2::Compression::best(),
        );
        gzip.write_all(&body)?;
        let gzip = gzip.finish()?;
        let mut brotli = Vec::with_capacity(body.len() / 4);
        {
            let mut writer = brotli::CompressorWriter::new(
                &mut brotli,
                4096,
                BROTLI_QUALITY,
                brotli_window(body.len()),
            );
            writer.write_all(&body)?;
        }
        Ok(Self {
            identity: body,
            gzip: gzip.into(),
            brotli: brotli.into(),
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

/// The ETag of `tag`'s representation in `coding`, as [`tag_encoded`] makes it.
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

/// Middleware, outside `Compress`: an encoded response's ETag names its coding.
pub async fn tag_encoded(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let headers = res.headers();
    let Some(coding) = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|coding| coding.to_str().ok())
        .filter(|coding| suffix(coding).is_some())
    else {
        return Ok(res);
    };
    let Some(tag) = headers
        .get(ETAG)
        .and_then(|value| value.to_str().ok()?.parse::<EntityTag>().ok())
    else {
        return Ok(res);
    };
    if let Ok(value) = HeaderValue::from_str(&encoded_tag(&tag, coding).to_string()) {
        res.headers_mut().insert(ETAG, value);
    }
    Ok(res)
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
