//! The few files browsers and crawlers ask for at the site's root rather than under
//! `/static`: the icons and `robots.txt`, kept in `static/root/`.

use actix_files::NamedFile;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::web::assets::Assets;
use crate::web::error::{AppError, PageError};

/// Their names, which are their addresses below `/`.
pub const ROOT_FILES: [&str; 3] = ["favicon.ico", "apple-touch-icon.png", "robots.txt"];

/// One of [`ROOT_FILES`], by the name its address gives (it is mounted at those alone);
/// cached for a day.
pub async fn root_file(
    req: HttpRequest,
    assets: web::Data<Assets>,
) -> Result<HttpResponse, PageError> {
    let name = req.path().trim_start_matches('/');
    let file = NamedFile::open_async(assets.dir().join("root").join(name))
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut response = file.use_etag(true).into_response(&req);
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}
