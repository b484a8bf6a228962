//! What Verdict's own SQL fragments share: each is an expression around one inner
//! expression (a column, a tuple of them), written by its own `QueryFragment`.

/// Makes `$name<$inner, $rest…>` a Diesel expression of SQL type `$sql_type` that appears on
/// the tables its `$inner` expression appears on and groups as it does, with no static query
/// id: Diesel's statement cache then keys the statement by its text, which each fragment
/// keeps to one or a few. The fragment's SQL is its own `QueryFragment`.
macro_rules! expression_around {
    ($name:ident<$inner:ident $(, $rest:ident)*>: $sql_type:ty) => {
        impl<$inner $(, $rest)*> diesel::Expression for $name<$inner $(, $rest)*> {
            type SqlType = $sql_type;
        }

        impl<$inner $(, $rest)*, QS> diesel::AppearsOnTable<QS> for $name<$inner $(, $rest)*>
        where
            $inner: diesel::AppearsOnTable<QS>,
        {
        }

        impl<$inner $(, $rest)*, QS> diesel::SelectableExpression<QS> for $name<$inner $(, $rest)*>
        where
            $inner: diesel::SelectableExpression<QS>,
        {
        }

        impl<$inner $(, $rest)*, G> diesel::expression::ValidGrouping<G>
            for $name<$inner $(, $rest)*>
        where
            $inner: diesel::expression::ValidGrouping<G>,
        {
            type IsAggregate = <$inner as diesel::expression::ValidGrouping<G>>::IsAggregate;
        }

        impl<$inner $(, $rest)*> diesel::query_builder::QueryId for $name<$inner $(, $rest)*> {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    };
}

pub(crate) use expression_around;
