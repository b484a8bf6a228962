//! Deleting a run, audited, with its file when no other run came from it.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, Action, Actor, Change};
use crate::benchmarks::model::{Measured, Run};
use crate::db::schema::{benchmark_runs, benchmark_uploads};
use crate::db::{self, DbConnection};

/// A run as the audit log keeps it once deleted: with every one of its results.
#[derive(Serialize)]
struct DeletedRun<'a> {
    #[serde(flatten)]
    run: &'a Run,
    results: &'a [Measured],
}

/// Deletes the run `run` with its `results`, and its file when no other run came from it,
/// in one audited transaction; nothing when another request deleted it first.
pub fn delete_run(
    conn: &mut DbConnection,
    actor: &Actor,
    run: &Run,
    results: &[Measured],
) -> QueryResult<()> {
    db::write(conn, |conn| {
        if diesel::delete(benchmark_runs::table.find(run.id)).execute(conn)? != 1 {
            return Ok(());
        }
        if let Some(upload) = run.upload_id {
            let others: i64 = benchmark_runs::table
                .filter(benchmark_runs::upload_id.eq(upload))
                .count()
                .get_result(conn)?;
            if others == 0 {
                diesel::delete(benchmark_uploads::table.find(upload)).execute(conn)?;
            }
        }
        let change = Change::of(
            Action::Delete,
            "benchmark run",
            run.id,
            format!("{}, run {}", run.scenario.name, run.id),
        )
        .before(&DeletedRun { run, results });
        audit::record(conn, actor, change)?;
        db::bump_content_revision(conn)?;
        Ok(())
    })
}
