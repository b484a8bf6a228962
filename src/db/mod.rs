//! The database layer: one connection type over SQLite and PostgreSQL, chosen from the URL
//! scheme (never by trial), embedded migrations per backend, and an r2d2 pool whose
//! connections are only ever used on the blocking thread pool.

mod expression;
pub mod keyset;
mod one_of;
pub mod schema;

pub(crate) use expression::expression_around;
pub use one_of::{OneOf, one_of};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sql_types::BigInt;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Instances starting together on one PostgreSQL serialise their migrations on this lock.
const MIGRATION_LOCK: i64 = 0x7665_7264_6963_7400; // "verdict\0"

/// Write transactions on PostgreSQL take turns on this lock, as they do on SQLite's one
/// write lock, across every instance.
const WRITE_LOCK: i64 = 0x7665_7264_6963_7401; // "verdict\x01"

/// Every PostgreSQL connection's settings. Each statement is prepared once per connection;
/// with its plan fixed too, a page costs PostgreSQL the execution alone. (Left to choose,
/// PostgreSQL plans `LIMIT $1 OFFSET $2` and friends afresh for each execution's values:
/// several times the cost of running them. Every query Verdict makes is served by an index
/// whatever its parameters, so one generic plan is right for all.)
const POSTGRES_SESSION: &str = "SET plan_cache_mode = force_generic_plan;";

/// SQLite waits this long for a competing writer before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// A connection to either backend. Queries are written once against this type; a `match`
/// on the variant appears only where the SQL really differs.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Where the data lives, parsed from `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unsupported database URL scheme `{0}:` (use postgres://… or a SQLite file path)")]
pub struct UnsupportedScheme(String);

impl DatabaseUrl {
    /// `postgres://` and `postgresql://` choose PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a
    /// plain path choose SQLite. Any other scheme is refused rather than guessed at.
    pub fn parse(url: &str) -> Result<Self, UnsupportedScheme> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        match url.split_once("://") {
            Some((scheme, _)) => Err(UnsupportedScheme(scheme.to_owned())),
            None => Ok(Self::Sqlite(PathBuf::from(url))),
        }
    }

    /// The SQLite file `verdict.db` in the data directory: the default when no URL is set.
    pub fn default_sqlite(data_dir: &Path) -> Self {
        Self::Sqlite(data_dir.join("verdict.db"))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "PostgreSQL",
            Self::Sqlite(_) => "SQLite",
        }
    }
}

/// Shows the URL with any password replaced, so it can be logged and printed.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postgres(url) => f.write_str(&redact_password(url)),
            Self::Sqlite(path) => write!(f, "{}", path.display()),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.backend(), self)
    }
}

/// Hides a password given in the authority (`user:secret@`) or as a `password=` parameter.
fn redact_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => match rest[..at].split_once(':') {
                    Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
                    None => base.to_owned(),
                },
                None => base.to_owned(),
            }
        }
        None => base.to_owned(),
    };
    match query {
        Some(query) => {
            let params: Vec<&str> = query
                .split('&')
                .map(|param| {
                    if param.starts_with("password=") {
                        "password=***"
                    } else {
                        param
                    }
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
        None => base,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot connect to {backend} at {url}: {reason}")]
    Connect {
        backend: &'static str,
        url: String,
        reason: String,
    },
    #[error("cannot migrate the {backend} database at {url}: {reason}")]
    Migrate {
        backend: &'static str,
        url: String,
        reason: String,
    },
}

/// Folds a multi-line driver message (libpq's are) into one line.
fn one_line(message: impl fmt::Display) -> String {
    message
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl DatabaseUrl {
    fn connect_error(&self, reason: impl fmt::Display) -> SetupError {
        SetupError::Connect {
            backend: self.backend(),
            url: self.to_string(),
            reason: one_line(reason),
        }
    }

    fn migrate_error(&self, reason: impl fmt::Display) -> SetupError {
        SetupError::Migrate {
            backend: self.backend(),
            url: self.to_string(),
            reason: one_line(reason),
        }
    }

    fn establish(&self) -> ConnectionResult<DbConnection> {
        match self {
            Self::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(&with_connect_timeout(url))?;
                conn.batch_execute(POSTGRES_SESSION)
                    .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Postgres(conn))
            }
            Self::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
                     PRAGMA foreign_keys = ON;
                     PRAGMA synchronous = NORMAL;"
                ))
                .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// How long libpq may take to connect, unless the URL says otherwise: a server that does
/// not answer (a host gone from the network) must not hold a request for minutes.
const CONNECT_TIMEOUT_S: u32 = 2;

/// `url` with libpq's `connect_timeout` set, unless it already is.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout={CONNECT_TIMEOUT_S}")
}

/// What `migrate` did.
pub struct Migrated {
    /// How many migrations were applied now.
    pub applied: usize,
}

/// Brings the schema up to date on a plain connection, before any pool exists. On
/// PostgreSQL an advisory lock makes instances that start together take turns.
pub fn migrate(url: &DatabaseUrl) -> Result<Migrated, SetupError> {
    if let DatabaseUrl::Sqlite(path) = url
        && let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| SetupError::DataDir {
            path: dir.to_owned(),
            source,
        })?;
    }
    let mut conn = url.establish().map_err(|e| url.connect_error(e))?;
    let applied = match &mut conn {
        DbConnection::Postgres(pg) => {
            let lock = |pg: &mut diesel::PgConnection, function: &str| {
                diesel::sql_query(format!("SELECT {function}($1)"))
                    .bind::<BigInt, _>(MIGRATION_LOCK)
                    .execute(pg)
                    .map_err(|e| url.migrate_error(e))
            };
            lock(pg, "pg_advisory_lock")?;
            let applied = pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|versions| versions.len());
            lock(pg, "pg_advisory_unlock")?;
            applied
        }
        DbConnection::Sqlite(sqlite) => {
            // WAL is a property of the database file: set once here, kept by every connection.
            sqlite
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| url.migrate_error(e))?;
            sqlite
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|versions| versions.len())
        }
    }
    .map_err(|e| url.migrate_error(e))?;
    Ok(Migrated { applied })
}

/// Whether some embedded migration has not been applied to the database behind `conn`.
fn has_pending_migrations(conn: &mut DbConnection) -> Result<bool, String> {
    match conn {
        DbConnection::Postgres(pg) => pg.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(sqlite) => sqlite.has_pending_migration(SQLITE_MIGRATIONS),
    }
    .map_err(one_line)
}

/// Runs `write` in a transaction that holds the database's write lock from its first
/// statement: `BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on PostgreSQL.
///
/// A transaction that reads and then writes must not take the lock late. On SQLite it could
/// not wait for the busy timeout (its snapshot would be stale) and fails "database is locked";
/// on PostgreSQL what it read could change before it writes. Holding the lock from the start,
/// concurrent writers queue instead, on every backend and every instance alike, and what a
/// write checks (a version, a referenced row) still holds when it writes. Writes to the
/// catalog are rare and short, so taking turns costs nothing that matters.
///
/// Nested inside another transaction, it is a savepoint of that one, which holds the lock.
pub fn write<T, E, F>(conn: &mut DbConnection, write: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Transactions = <DbConnection as Connection>::TransactionManager;

    let outermost = Transactions::transaction_manager_status_mut(conn)
        .transaction_depth()?
        .is_none();
    if !outermost {
        return conn.transaction(write);
    }
    match conn {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
        }
        DbConnection::Postgres(_) => Transactions::begin_transaction(conn)?,
    }
    let written = take_write_lock(conn)
        .map_err(E::from)
        .and_then(|()| write(conn));
    match written {
        Ok(value) => {
            Transactions::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            Transactions::rollback_transaction(conn)?;
            Err(error)
        }
    }
}

/// On PostgreSQL, waits for the write lock, held until the transaction ends. (SQLite's
/// `BEGIN IMMEDIATE` has taken its own.)
fn take_write_lock(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(WRITE_LOCK)
            .execute(pg)?;
    }
    Ok(())
}

/// The content revision: a number that every write to content the pages show increases,
/// inside the write's transaction.
pub fn content_revision(conn: &mut DbConnection) -> QueryResult<i64> {
    schema::content_revision::table
        .select(schema::content_revision::revision)
        .first(conn)
}

/// Marks a change of content: call it inside the transaction that writes.
pub fn bump_content_revision(conn: &mut DbConnection) -> QueryResult<i64> {
    use schema::content_revision::dsl::*;
    diesel::update(content_revision)
        .set(revision.eq(revision + 1))
        .returning(revision)
        .get_result(conn)
}

/// Opens connections by the URL's scheme. (Diesel's own manager would try each backend in
/// turn, and a PostgreSQL URL that fails must never become a SQLite file.) It notes whether
/// the last attempt succeeded, so that requests know when the database is away.
pub struct Manager {
    url: DatabaseUrl,
    unreachable: Arc<AtomicBool>,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        let connected = self.url.establish();
        self.unreachable
            .store(connected.is_err(), Ordering::Relaxed);
        connected.map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
type PooledConnection = r2d2::PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available")]
    Pool(#[from] r2d2::PoolError),
    #[error("database query failed")]
    Query(#[from] diesel::result::Error),
    #[error("the blocking task was cancelled")]
    Cancelled(#[from] actix_web::error::BlockingError),
}

/// Why a write was refused by the database's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// A value that must be unique is taken.
    Unique,
    /// A referenced row is gone, or a row others refer to was about to go.
    Reference,
    /// A required value is missing or a check does not hold.
    Check,
}

impl DbError {
    /// Whether the database could not be reached (or was too busy to answer in time), as
    /// opposed to refusing what was asked: worth trying again shortly.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            Self::Pool(_) => true,
            Self::Query(Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            )) => true,
            // SQLite's busy timeout ran out: another writer held the lock all that time.
            Self::Query(Error::DatabaseError(DatabaseErrorKind::Unknown, info)) => {
                info.message().contains("database is locked")
            }
            Self::Query(_) | Self::Cancelled(_) => false,
        }
    }

    /// The constraint a write broke, if that is what failed. Checks run before writing, so
    /// a broken constraint means another write changed things in between.
    pub fn constraint(&self) -> Option<Constraint> {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            Self::Query(Error::DatabaseError(kind, _)) => match kind {
                DatabaseErrorKind::UniqueViolation => Some(Constraint::Unique),
                DatabaseErrorKind::ForeignKeyViolation | DatabaseErrorKind::RestrictViolation => {
                    Some(Constraint::Reference)
                }
                DatabaseErrorKind::NotNullViolation
                | DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::ExclusionViolation => Some(Constraint::Check),
                _ => None,
            },
            _ => None,
        }
    }
}

/// How long a request waits for a connection while the database answers.
const POOL_WAIT: Duration = Duration::from_secs(5);
/// How long it waits once the last attempt to connect failed: long enough for a database
/// that has come back to take a new connection, short enough not to stall every worker.
const OUTAGE_WAIT: Duration = Duration::from_millis(500);
/// How long `/readyz` waits for a connection.
const READINESS_WAIT: Duration = Duration::from_secs(1);

/// Whether the database can serve requests, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// It cannot be reached: the reason, as the driver gives it.
    Unreachable(String),
    MigrationsPending,
}

/// The application's handle on the database.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: &'static str,
    unreachable: Arc<AtomicBool>,
}

impl Db {
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Self, SetupError> {
        let unreachable = Arc::new(AtomicBool::new(false));
        let manager = Manager {
            url: url.clone(),
            unreachable: Arc::clone(&unreachable),
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(POOL_WAIT)
            // A broken connection shows itself on use and is then replaced (`has_broken`);
            // a test query on every checkout would cost a round trip per request.
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| url.connect_error(e))?;
        Ok(Self {
            pool,
            backend: url.backend(),
            unreachable,
        })
    }

    /// A pooled connection, waiting briefly while the database is away.
    fn checkout(pool: &Pool, unreachable: &AtomicBool) -> Result<PooledConnection, DbError> {
        let wait = if unreachable.load(Ordering::Relaxed) {
            OUTAGE_WAIT
        } else {
            POOL_WAIT
        };
        Ok(pool.get_timeout(wait)?)
    }

    /// Runs `f` with a pooled connection on the blocking thread pool, never on an async worker.
    pub async fn run<F, T>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let unreachable = Arc::clone(&self.unreachable);
        actix_web::web::block(move || {
            let mut conn = Self::checkout(&pool, &unreachable)?;
            Ok(f(&mut conn)?)
        })
        .await?
    }

    /// Whether the database answers within a second and is fully migrated.
    pub async fn readiness(&self) -> Readiness {
        let pool = self.pool.clone();
        let checked = actix_web::web::block(move || {
            let mut conn = pool.get_timeout(READINESS_WAIT).map_err(one_line)?;
            conn.ping().map_err(one_line)?;
            has_pending_migrations(&mut conn)
        })
        .await;
        match checked {
            Ok(Ok(false)) => Readiness::Ready,
            Ok(Ok(true)) => Readiness::MigrationsPending,
            Ok(Err(reason)) => Readiness::Unreachable(reason),
            Err(cancelled) => Readiness::Unreachable(cancelled.to_string()),
        }
    }

    /// A connection for synchronous callers outside request handling (the CLI).
    pub fn get(&self) -> Result<PooledConnection, r2d2::PoolError> {
        self.pool.get()
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_chooses_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres("postgres://u@h/db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://h/db"),
            Ok(DatabaseUrl::Postgres("postgresql://h/db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/v.db"),
            Ok(DatabaseUrl::Sqlite("/var/lib/v.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/v.db"),
            Ok(DatabaseUrl::Sqlite("data/v.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("data/v.db"),
            Ok(DatabaseUrl::Sqlite("data/v.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("mysql://h/db"),
            Err(UnsupportedScheme("mysql".into()))
        );
    }

    #[test]
    fn passwords_never_reach_the_display() {
        let shown = |url: &str| DatabaseUrl::parse(url).map(|u| u.to_string());
        assert_eq!(
            shown("postgres://app:s3cret@db:5432/verdict"),
            Ok("postgres://app:***@db:5432/verdict".into())
        );
        assert_eq!(
            shown("postgres://app:p@ss@db/verdict?sslmode=require"),
            Ok("postgres://app:***@db/verdict?sslmode=require".into())
        );
        assert_eq!(
            shown("postgres://app@db/verdict"),
            Ok("postgres://app@db/verdict".into())
        );
        assert_eq!(
            shown("postgres://db/verdict?user=a@b"),
            Ok("postgres://db/verdict?user=a@b".into())
        );
        assert_eq!(
            shown("postgres://db/verdict?user=app&password=s3cret&sslmode=require"),
            Ok("postgres://db/verdict?user=app&password=***&sslmode=require".into())
        );
    }

    #[test]
    fn driver_messages_become_one_line() {
        assert_eq!(
            one_line("connection refused\n\tIs the server running?\n"),
            "connection refused Is the server running?"
        );
    }
}
