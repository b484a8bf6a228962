//! Static files under `/static`, served by actix-files. Links carry a fingerprint of the
//! files' contents (`?v=…`), so a fingerprinted request may be cached for a year.
//!
//! The text files (stylesheets, scripts, SVG) are also compressed once at start-up, and a
//! client that accepts gzip or brotli gets that copy (`serve_compressed`) rather than one
//! compressed again for every request.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ContentEncoding, ETAG, EntityTag, HeaderValue,
    IF_NONE_MATCH, VARY,
};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::web::encoding::{self, Encoded};

#[derive(Debug, Default)]
pub struct Assets {
    version: String,
    dir: PathBuf,
    /// The text files, by their path below the directory, compressed.
    compressed: HashMap<String, Compressed>,
}

#[derive(Debug)]
struct Compressed {
    content_type: HeaderValue,
    body: Encoded,
}

/// The files worth compressing, by extension, with their content type.
const TEXT_FILES: [(&str, &str); 5] = [
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("txt", "text/plain; charset=utf-8"),
    ("json", "application/json"),
];

impl Assets {
    /// Fingerprints every file below `dir`, and compresses the text files.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        collect_files(dir, &mut files)?;
        files.sort();
        let mut hasher = DefaultHasher::new();
        let mut compressed = HashMap::new();
        for file in &files {
            let name = file.strip_prefix(dir).unwrap_or(file);
            name.hash(&mut hasher);
            let contents = std::fs::read(file)?;
            contents.hash(&mut hasher);
            let kind = name.extension().and_then(|extension| {
                TEXT_FILES
                    .iter()
                    .find(|(text, _)| extension.eq_ignore_ascii_case(text))
            });
            if let (Some((_, content_type)), Some(name)) = (kind, name.to_str()) {
                compressed.insert(
                    name.replace(std::path::MAIN_SEPARATOR, "/"),
                    Compressed {
                        content_type: HeaderValue::from_static(content_type),
                        body: Encoded::compress(contents.into())?,
                    },
                );
            }
        }
        Ok(Self {
            version: format!("{:016x}", hasher.finish()),
            dir: dir.to_owned(),
            compressed,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("/static/{path}?v={}", self.version)
    }

    /// The directory the files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Middleware on `/static`: a text file, to a client that accepts gzip or brotli, is
/// answered with the copy compressed at start-up; everything else goes on to actix-files.
pub async fn serve_compressed(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let coding = encoding::negotiate(req.request());
    let file = req.app_data::<web::Data<Assets>>().and_then(|assets| {
        let name = req.path().strip_prefix("/static/")?;
        let file = assets.compressed.get(name)?;
        Some((
            file.content_type.clone(),
            file.body.get(coding).clone(),
            assets.version.clone(),
        ))
    });
    let Some((content_type, body, version)) = file.filter(|_| coding != ContentEncoding::Identity)
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The ETag names the files' version; `encoding::compress` adds the coding on the way
    // out, and a client sends that back.
    let tag = EntityTag::new_strong(version);
    let sent_back = encoding::encoded_tag(&tag, coding.as_str());
    let unchanged = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|t| t.trim() == sent_back.to_string()));
    let mut response = if unchanged {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, content_type))
            .insert_header((CONTENT_ENCODING, coding.to_header_value()))
            .body(body)
    };
    let headers = response.headers_mut();
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    // A 304 names no coding, so it carries the tag as sent back.
    let tag = if unchanged { sent_back } else { tag };
    if let Ok(tag) = HeaderValue::from_str(&tag.to_string()) {
        headers.insert(ETAG, tag);
    }
    Ok(req.into_response(response))
}

/// A year for fingerprinted links (the fingerprint changes with the contents), an hour otherwise.
pub async fn cache_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let fingerprinted = req.query_string().starts_with("v=");
    let mut res = next.call(req).await?;
    if res.status().is_success() || res.status().as_u16() == 304 {
        let policy = if fingerprinted {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_follows_the_contents() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(dir.path().join("css")).expect("a folder");
        let css = dir.path().join("css/site.css");
        std::fs::write(&css, "body { color: black }").expect("written");
        let first = Assets::load(dir.path()).expect("loads");
        assert_eq!(
            Assets::load(dir.path()).expect("loads").url("css/site.css"),
            first.url("css/site.css"),
            "the same contents, the same link"
        );
        std::fs::write(&css, "body { color: navy }").expect("written");
        let changed = Assets::load(dir.path()).expect("loads");
        assert_ne!(changed.url("css/site.css"), first.url("css/site.css"));
        assert!(
            changed
                .url("css/site.css")
                .starts_with("/static/css/site.css?v=")
        );
        assert!(Assets::load(&dir.path().join("missing")).is_err());
    }
}
