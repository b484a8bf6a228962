//! Answers every handler gives: a rendered page, a download, a redirect after a form, a
//! middleware's refusal.

use actix_web::HttpResponse;
use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use askama::Template;

use crate::web::error::AppError;

/// Renders a page template into a 200 response.
pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    render_with(StatusCode::OK, page)
}

/// Renders a page template into a response with `status` (a form shown again: 422, 409…).
pub fn render_with(status: StatusCode, page: &impl Template) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(page.render()?))
}

/// A middleware's refusal as a response rather than an error, so that the middleware
/// further out still see it: error pages get the layout, every response its headers.
pub fn refuse<B>(
    req: ServiceRequest,
    error: impl Into<actix_web::Error>,
) -> ServiceResponse<EitherBody<B>> {
    req.error_response(error).map_into_right_body()
}

/// A file to download: `content_type`, saved as `filename`; the caller adds the body.
pub fn attachment(content_type: &str, filename: String) -> actix_web::HttpResponseBuilder {
    use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
    let mut response = HttpResponse::Ok();
    response
        .insert_header((actix_web::http::header::CONTENT_TYPE, content_type))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        });
    response
}

/// POST-redirect-GET: a form's answer sends the browser to `location` with a GET.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}
