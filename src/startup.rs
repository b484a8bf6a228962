//! Wiring: migrate, connect, seed a new database, and build the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;

use actix_files::Files;
use actix_web::cookie::Key;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse, fn_service};
use actix_web::middleware::{DefaultHeaders, Logger, NormalizePath, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::{Context, bail};

use crate::accounts;
use crate::advisor;
use crate::benchmarks;
use crate::catalog;
use crate::compare;
use crate::config::{CommonArgs, ServeArgs};
use crate::db::{self, DatabaseUrl, Db};
use crate::decisions;
use crate::seed::{self, Dataset};
use crate::site;
use crate::web::assets::{self, Assets};
use crate::web::cache::{ResponseCache, Revisions, serve_cached};
use crate::web::error::{AppError, FieldError, PageError, problem, render_error_pages};
use crate::web::form::refuse_cross_site;
use crate::web::session::{self, Role, random_token};
use crate::web::upload::UploadLimit;
use crate::web::{encoding, health, page, root_files};

/// Applies pending migrations, reporting what was done.
pub fn migrate(common: &CommonArgs) -> anyhow::Result<(DatabaseUrl, db::Migrated)> {
    let url = common.database_url()?;
    let migrated = db::migrate(&url)?;
    Ok((url, migrated))
}

/// Loads the demo dataset into the database (migrating it first).
pub fn seed(common: &CommonArgs) -> anyhow::Result<seed::Loaded> {
    let (url, _) = migrate(common)?;
    let db = Db::connect(&url, 1)?;
    load_demo(&db)
}

/// `verdict seed --synthetic N`: the demo dataset (what is missing of it), then `n`
/// synthetic technologies, refused on a database holding more than the demo unless `force`.
pub fn seed_synthetic(
    common: &CommonArgs,
    n: u64,
    force: bool,
) -> anyhow::Result<(seed::Loaded, seed::Added)> {
    let (url, _) = migrate(common)?;
    let db = Db::connect(&url, 1)?;
    let dataset = Dataset::demo()?;
    let mut conn = db
        .get()
        .context("no database connection for the synthetic data")?;
    Ok(seed::load_synthetic(&mut conn, &dataset, n, force)?)
}

fn load_demo(db: &Db) -> anyhow::Result<seed::Loaded> {
    let dataset = Dataset::demo()?;
    let mut conn = db
        .get()
        .context("no database connection for the demo dataset")?;
    seed::load(&mut conn, &dataset).context("loading the demo dataset failed")
}

/// Whether no content was ever written to the database: a new installation, whatever else
/// (`verdict migrate`, `verdict user create`) ran on it first. Every write to content moves
/// the revision, so a catalog its editors emptied is not taken for a new one.
fn content_never_written(db: &Db) -> anyhow::Result<bool> {
    let mut conn = db.get().context("no database connection")?;
    Ok(db::content_revision(&mut conn).context("cannot read the content revision")? == 0)
}

/// `verdict user create`.
pub fn create_user(
    common: &CommonArgs,
    email: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<String> {
    let (url, _) = migrate(common)?;
    accounts::cli::create(&Db::connect(&url, 1)?, email, role, password)
}

/// `verdict user reset-password`.
pub fn reset_password(common: &CommonArgs, email: &str, password: &str) -> anyhow::Result<String> {
    let (url, _) = migrate(common)?;
    accounts::cli::reset_password(&Db::connect(&url, 1)?, email, password)
}

/// The key for session cookies: from configuration, or generated once and kept in the data
/// directory (with a warning: instances that share sessions must share the key).
fn session_key(common: &CommonArgs, serve: &ServeArgs) -> anyhow::Result<Key> {
    if let Some(secret) = serve.secret_key.as_deref().filter(|s| !s.is_empty()) {
        if secret.len() < MIN_SECRET_KEY_LEN {
            bail!("VERDICT_SECRET_KEY must be at least {MIN_SECRET_KEY_LEN} characters");
        }
        return Ok(Key::derive_from(secret.as_bytes()));
    }
    let path = common.data_dir.join("secret_key");
    let secret = match std::fs::read_to_string(&path) {
        Ok(secret) if secret.trim().len() >= MIN_SECRET_KEY_LEN => secret.trim().to_owned(),
        Ok(_) => bail!(
            "{} is too short: delete it to have a new key made",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = random_token(64)?;
            std::fs::create_dir_all(&common.data_dir)
                .with_context(|| format!("cannot create {}", common.data_dir.display()))?;
            write_private(&path, &secret)
                .with_context(|| format!("cannot write {}", path.display()))?;
            secret
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    log::warn!(
        "VERDICT_SECRET_KEY is not set: using the key kept in {}. Set it (the same on every \
         instance) when running more than one.",
        path.display()
    );
    Ok(Key::derive_from(secret.as_bytes()))
}

const MIN_SECRET_KEY_LEN: usize = 64;

/// Writes a file only its owner can read.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}

pub struct Application {
    server: Server,
    addr: SocketAddr,
    backend: &'static str,
}

impl Application {
    /// Migrates the database, loads the demo dataset into a new one (when asked to) and
    /// binds the listener. Must be called inside an actix system.
    pub fn build(common: &CommonArgs, serve: &ServeArgs) -> anyhow::Result<Self> {
        let (url, _) = migrate(common)?;
        let db = Db::connect(&url, serve.pool_size)?;
        if serve.demo && content_never_written(&db)? {
            let loaded = load_demo(&db)?;
            log::info!("new database: demo dataset loaded ({loaded})");
        }
        let assets = web::Data::new(Assets::load(&serve.static_dir).with_context(|| {
            format!(
                "cannot read the static files in {} (set VERDICT_STATIC_DIR)",
                serve.static_dir.display()
            )
        })?);
        let key = session_key(common, serve)?;
        let https = serve.https;
        let session_limits = web::Data::new(accounts::sessions::Limits::new(
            serve.session_idle_minutes,
            serve.session_lifetime_hours,
        ));
        let listener = TcpListener::bind((serve.host, serve.port))
            .with_context(|| format!("cannot listen on {}:{}", serve.host, serve.port))?;
        let addr = listener.local_addr()?;
        let backend = db.backend();
        let db = web::Data::new(db);
        let static_dir = serve.static_dir.clone();
        let workers = serve.workers.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            usize::from,
        );
        let pool_size = serve.pool_size as usize;
        let upload_limit = web::Data::new(UploadLimit(
            usize::try_from(serve.upload_limit_mb * 1024 * 1024).unwrap_or(usize::MAX),
        ));
        let cache = ResponseCache::with_capacity(serve.cache_mb * 1024 * 1024).map(web::Data::new);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(db.clone())
                .app_data(assets.clone())
                .app_data(upload_limit.clone())
                .app_data(session_limits.clone())
                .configure(|cfg| caching(cfg, cache.clone(), &db))
                .wrap(from_fn(crate::web::params::refuse_control_characters))
                .wrap(from_fn(render_error_pages))
                .wrap(NormalizePath::trim())
                .wrap(from_fn(encoding::compress))
                .wrap(session::middleware(key.clone(), https))
                .wrap(security_headers())
                .wrap(Logger::new(r#""%r" %s %b %Dms"#))
                .configure(|cfg| routes(cfg, &static_dir))
                .default_service(web::to(page_not_found))
        })
        // Every blocking thread waits for a pooled connection: more than the pool would only
        // cost memory.
        .workers(workers)
        .worker_max_blocking_threads(pool_size.div_ceil(workers))
        .listen(listener)?;
        Ok(Self {
            server: server.run(),
            addr,
            backend,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }

    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn routes(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    for name in root_files::ROOT_FILES {
        cfg.service(page(&format!("/{name}"), root_files::root_file));
    }
    cfg.service(page("/healthz", health::healthz))
        .service(page("/readyz", health::readyz))
        .service(
            web::scope("/static")
                .wrap(from_fn(assets::serve_compressed))
                .wrap(from_fn(assets::cache_headers))
                .service(
                    Files::new("", static_dir)
                        .use_etag(true)
                        .use_last_modified(true)
                        .default_handler(fn_service(static_not_found)),
                ),
        )
        .service(
            web::scope("/api")
                .service(
                    web::scope("/v1")
                        .wrap(from_fn(serve_cached))
                        .wrap(from_fn(accounts::guards::bearer_tokens))
                        .configure(catalog::api)
                        .configure(advisor::api)
                        .configure(compare::api)
                        .configure(decisions::api)
                        .configure(benchmarks::api)
                        .default_service(web::to(api_not_found)),
                )
                .default_service(web::to(api_not_found)),
        )
        .configure(decisions::downloads)
        .configure(benchmarks::downloads)
        .service(
            web::scope("")
                .wrap(from_fn(serve_cached))
                .wrap(from_fn(refuse_cross_site))
                .configure(accounts::pages)
                .service(
                    web::scope("/admin")
                        .wrap(from_fn(accounts::guards::require_user))
                        .configure(site::admin)
                        .configure(accounts::admin::pages)
                        .configure(catalog::admin)
                        .configure(advisor::admin)
                        .configure(decisions::admin)
                        .configure(benchmarks::admin),
                )
                .configure(advisor::pages)
                .configure(compare::pages)
                .configure(site::pages)
                .configure(catalog::pages)
                .configure(decisions::pages)
                .configure(benchmarks::pages),
        );
}

/// The response cache, when it has room, with this worker's reader of the content revision.
fn caching(cfg: &mut web::ServiceConfig, cache: Option<web::Data<ResponseCache>>, db: &Db) {
    if let Some(cache) = cache {
        cfg.app_data(cache).app_data(Revisions::new(db.clone()));
    }
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
}

async fn page_not_found() -> Result<HttpResponse, PageError> {
    Err(AppError::NotFound.into())
}

async fn static_not_found(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    Ok(req.error_response(PageError::from(AppError::NotFound)))
}

async fn api_not_found() -> HttpResponse {
    problem(
        actix_web::http::StatusCode::NOT_FOUND,
        "There is no API resource at this address.",
        &[] as &[FieldError],
    )
}
