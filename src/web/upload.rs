//! File uploads: a `multipart/form-data` body with text fields and one file. The file is
//! read up to a configured limit and no further: past it, the rest is drained unread and the
//! handler is told, so that it can say so next to the file's field.

use std::future::Future;
use std::pin::Pin;

use actix_multipart::{Multipart, MultipartError};
use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;

use crate::web::error::{ApiError, AppError, PageError};
use crate::web::form::{CSRF_FIELD, Fields, expired_form};
use crate::web::session;

/// The largest file an upload may carry, in bytes; app data, from configuration.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimit(pub usize);

impl UploadLimit {
    /// The limit as readers are told it.
    pub fn describe(self) -> String {
        const MIB: usize = 1024 * 1024;
        if self.0 >= MIB && self.0.is_multiple_of(MIB) {
            format!("{} MiB", self.0 / MIB)
        } else {
            format!("{} bytes", self.0)
        }
    }
}

/// A text field longer than this is refused: text fields are choices and notes, not files.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// More fields than any form of ours has: a body past it is not one of them.
const MAX_TEXT_FIELDS: usize = 1000;

/// The file an upload carried, if any.
#[derive(Debug)]
pub enum FileField {
    Missing,
    /// Larger than the limit: nothing of it was kept.
    TooLarge(UploadLimit),
    Received {
        name: String,
        bytes: Vec<u8>,
    },
}

/// A `multipart/form-data` body: its text fields, and its field `file`.
#[derive(Debug)]
pub struct Upload {
    pub fields: Fields,
    pub file: FileField,
}

/// The field that carries the file.
pub const FILE_FIELD: &str = "file";

impl Upload {
    async fn read(req: HttpRequest, payload: Payload) -> Result<Upload, AppError> {
        let limit = req
            .app_data::<web::Data<UploadLimit>>()
            .map_or(UploadLimit(DEFAULT_LIMIT), |limit| *limit.get_ref());
        let mut multipart = Multipart::new(req.headers(), payload);
        let mut fields = Vec::new();
        let mut file = FileField::Missing;
        while let Some(field) = multipart.next().await {
            let mut field = field.map_err(malformed)?;
            let (name, filename) = match field.content_disposition() {
                Some(disposition) => (
                    disposition.get_name().unwrap_or_default().to_owned(),
                    disposition.get_filename().map(str::to_owned),
                ),
                None => (String::new(), None),
            };
            if name == FILE_FIELD {
                file = read_file(&mut field, filename.unwrap_or_default(), limit).await?;
                continue;
            }
            if fields.len() >= MAX_TEXT_FIELDS {
                return Err(AppError::BodyTooLarge);
            }
            let mut value = Vec::new();
            while let Some(chunk) = field.next().await {
                value.extend_from_slice(&chunk.map_err(malformed)?);
                if value.len() > MAX_TEXT_FIELD {
                    return Err(AppError::BodyTooLarge);
                }
            }
            let value = String::from_utf8(value).map_err(|_| {
                AppError::MalformedBody(format!("The field `{name}` is not UTF-8 text."))
            })?;
            fields.push((name, value.trim().to_owned()));
        }
        Ok(Upload {
            fields: Fields::new(fields),
            file,
        })
    }
}

/// Without configuration (in tests of other parts), a generous limit.
const DEFAULT_LIMIT: usize = 32 * 1024 * 1024;

async fn read_file(
    field: &mut actix_multipart::Field,
    name: String,
    limit: UploadLimit,
) -> Result<FileField, AppError> {
    let mut bytes = Vec::new();
    let mut too_large = false;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        if too_large || bytes.len() + chunk.len() > limit.0 {
            // Drained, not kept: the client is still sending, and will read the answer.
            too_large = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(match (too_large, bytes.is_empty() && name.is_empty()) {
        (true, _) => FileField::TooLarge(limit),
        (false, true) => FileField::Missing,
        (false, false) => FileField::Received { name, bytes },
    })
}

fn malformed(error: MultipartError) -> AppError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => AppError::UnsupportedMediaType(
            "The body must be `multipart/form-data`, with the file in the field `file`.",
        ),
        other => AppError::MalformedBody(format!("The upload could not be read: {other}.")),
    }
}

/// An upload to the API.
impl FromRequest for Upload {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = Upload::read(req.clone(), payload.take());
        Box::pin(async move { Ok(read.await?) })
    }
}

/// An upload from one of the site's forms: its CSRF token matched the session's.
#[derive(Debug)]
pub struct FormUpload(pub Upload);

impl FromRequest for FormUpload {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let upload = Upload::read(req.clone(), payload).await?;
            if session::csrf_matches(&req.get_session(), upload.fields.get(CSRF_FIELD)) {
                Ok(FormUpload(upload))
            } else {
                Err(expired_form().into())
            }
        })
    }
}
