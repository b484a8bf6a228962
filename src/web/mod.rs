//! The ground every capability stands on: errors, query parameters and pagination, the
//! layout, sessions, CSRF-checked forms, who is acting, static assets and health checks.
//! Nothing here knows about a capability.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod form;
pub mod health;
pub mod layout;
pub mod params;
pub mod respond;
pub mod root_files;
pub mod session;
pub mod slice;
pub mod upload;
pub mod words;

pub use endpoint::{Endpoint, action, api, api_action, page};
pub use error::{ApiError, AppError, PageError};
pub use layout::Layout;
pub use params::{Paginated, Params};
pub use respond::{attachment, refuse, render, render_with, see_other};
