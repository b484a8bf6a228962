//! Keyset paging: the rows after (or before) a given row in a list's order, found through
//! the index that serves the order, so the last page of a long list costs what the first
//! costs. (`OFFSET` reads and discards every row before the page.)
//!
//! The row a page starts from is named by a subquery on its unique key, so a page is one
//! statement of fixed text, and a cursor naming no row gives an empty page.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::sql_types::Bool;

use super::expression::expression_around;

/// Which side of the cursor's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    After,
    Before,
}

/// `(key…) > (cursor)` or `(key…) < (cursor)`: `key` a tuple of the order's expressions,
/// `cursor` a query selecting the same expressions of one row. SQLite and PostgreSQL both
/// compare row values in order, and both read such a range from an index on `key`.
pub fn beyond<K, C>(key: K, side: Side, cursor: C) -> Beyond<K, C> {
    Beyond { key, side, cursor }
}

#[derive(Debug, Clone)]
pub struct Beyond<K, C> {
    key: K,
    side: Side,
    cursor: C,
}

expression_around!(Beyond<K, C>: Bool);

impl<K, C, DB> QueryFragment<DB> for Beyond<K, C>
where
    DB: Backend,
    K: QueryFragment<DB>,
    C: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.key.walk_ast(out.reborrow())?;
        out.push_sql(match self.side {
            Side::After => ") > (",
            Side::Before => ") < (",
        });
        self.cursor.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}
