//! Static files under `/static`, served by actix-files. Links carry a fingerprint of the
//! files' contents (`?v=…`), so a fingerprinted request may be cached for a year.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::middleware::Next;

#[derive(Debug, Default)]
pub struct Assets {
    version: String,
    dir: PathBuf,
}

impl Assets {
    /// Fingerprints every file below `dir`.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut files = Vec::new();
        collect_files(dir, &mut files)?;
        files.sort();
        let mut hasher = DefaultHasher::new();
        for file in &files {
            file.strip_prefix(dir).unwrap_or(file).hash(&mut hasher);
            std::fs::read(file)?.hash(&mut hasher);
        }
        Ok(Self {
            version: format!("{:016x}", hasher.finish()),
            dir: dir.to_owned(),
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
