//! `column IN (…)` over a list of values, in a statement that is prepared once.
//!
//! Diesel's `eq_any` writes one `?` per value on SQLite, and marks the statement as one not
//! to keep: every request compiles it again, and compiling was most of what some pages cost.
//! [`one_of`] pads the list to the next power of two with its last value (which matches
//! nothing more), so a query has a handful of texts at most, each kept prepared per
//! connection like any other statement.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::Expression;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType};

use super::expression::expression_around;

/// `column IN (values…)`; false for no values.
pub fn one_of<C, T>(column: C, values: impl IntoIterator<Item = T>) -> OneOf<C, T> {
    OneOf {
        column,
        values: values.into_iter().collect(),
    }
}

#[derive(Debug, Clone)]
pub struct OneOf<C, T> {
    column: C,
    values: Vec<T>,
}

/// How many placeholders a list of `len` values is written with.
fn placeholders(len: usize) -> usize {
    len.next_power_of_two()
}

expression_around!(OneOf<C, T>: Bool);

impl<C, T, DB> QueryFragment<DB> for OneOf<C, T>
where
    DB: Backend + HasSqlType<C::SqlType>,
    C: Expression + QueryFragment<DB>,
    T: ToSql<C::SqlType, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let Some(last) = self.values.last() else {
            out.push_sql("1 = 0");
            return Ok(());
        };
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for i in 0..placeholders(self.values.len()) {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<C::SqlType, T>(self.values.get(i).unwrap_or(last))?;
        }
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_padded_to_a_few_lengths() {
        let lengths: Vec<usize> = [1, 2, 3, 4, 5, 8, 9, 100].map(placeholders).into();
        assert_eq!(lengths, [1, 2, 4, 4, 8, 8, 16, 128]);
    }
}
