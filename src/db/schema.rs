// One schema for both backends: only types that SQLite and PostgreSQL share.

diesel::table! {
    technologies (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        kind -> Text,
        language_id -> Nullable<Integer>,
        summary -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dimensions (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        description -> Text,
        scale -> Nullable<Text>,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sources (id) {
        id -> Integer,
        title -> Text,
        publisher -> Text,
        published_on -> Nullable<Date>,
        url -> Nullable<Text>,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assessments (id) {
        id -> Integer,
        technology_id -> Integer,
        dimension_id -> Integer,
        score -> Nullable<Integer>,
        body -> Text,
        as_of -> Date,
        confidence -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assessment_sources (assessment_id, source_id) {
        assessment_id -> Integer,
        source_id -> Integer,
    }
}

diesel::table! {
    content_revision (id) {
        id -> Integer,
        revision -> BigInt,
    }
}

diesel::joinable!(assessments -> technologies (technology_id));
diesel::joinable!(assessments -> dimensions (dimension_id));
diesel::joinable!(assessment_sources -> assessments (assessment_id));
diesel::joinable!(assessment_sources -> sources (source_id));

diesel::allow_tables_to_appear_in_same_query!(
    technologies,
    dimensions,
    sources,
    assessments,
    assessment_sources,
);
