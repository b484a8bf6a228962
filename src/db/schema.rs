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
        version -> Integer,
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
        version -> Integer,
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
        version -> Integer,
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
        version -> Integer,
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

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        must_change_password -> Bool,
        disabled -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        name -> Text,
        scope -> Text,
        token_hash -> Text,
        prefix -> Text,
        created_by -> Integer,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        user_id -> Nullable<Integer>,
        actor -> Text,
        via -> Text,
        action -> Text,
        item_kind -> Text,
        item_id -> Integer,
        item_label -> Text,
        subject -> Text,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    user_sessions (id) {
        id -> Integer,
        token_hash -> Text,
        user_id -> Integer,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        user_agent -> Text,
        address -> Text,
    }
}

diesel::table! {
    login_failures (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
    }
}

diesel::table! {
    requirements (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        explanation -> Text,
        constraint_dimension_id -> Nullable<Integer>,
        constraint_min -> Nullable<Integer>,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    requirement_weights (requirement_id, dimension_id) {
        requirement_id -> Integer,
        dimension_id -> Integer,
        weight -> Integer,
    }
}

diesel::joinable!(assessments -> technologies (technology_id));
diesel::joinable!(assessments -> dimensions (dimension_id));
diesel::joinable!(assessment_sources -> assessments (assessment_id));
diesel::joinable!(assessment_sources -> sources (source_id));
diesel::joinable!(api_tokens -> users (created_by));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(user_sessions -> users (user_id));
diesel::joinable!(requirements -> dimensions (constraint_dimension_id));
diesel::joinable!(requirement_weights -> requirements (requirement_id));
diesel::joinable!(requirement_weights -> dimensions (dimension_id));

diesel::table! {
    /// How many technologies there are of each kind and language (0: none), kept by triggers.
    technology_counts (kind, language_id) {
        kind -> Text,
        language_id -> Integer,
        count -> BigInt,
    }
}

diesel::table! {
    /// How many facts each dimension has, kept by triggers.
    fact_counts (dimension_id) {
        dimension_id -> Integer,
        count -> BigInt,
    }
}

diesel::joinable!(fact_counts -> dimensions (dimension_id));

diesel::allow_tables_to_appear_in_same_query!(
    technologies,
    technology_counts,
    fact_counts,
    dimensions,
    sources,
    assessments,
    assessment_sources,
    users,
    user_sessions,
    api_tokens,
    audit_log,
    requirements,
    requirement_weights,
    benchmark_scenarios,
    benchmark_environments,
    benchmark_uploads,
    benchmark_runs,
    benchmark_results,
);

diesel::table! {
    decisions (id) {
        id -> Integer,
        title -> Text,
        context -> Text,
        drivers -> Text,
        options -> Text,
        chosen -> Text,
        rationale -> Text,
        consequences -> Text,
        status -> Text,
        superseded_by_id -> Nullable<Integer>,
        revisit_by -> Nullable<Date>,
        links -> Text,
        decided_on -> Date,
        advisor_query -> Text,
        snapshot -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::joinable!(decisions -> users (created_by));
diesel::allow_tables_to_appear_in_same_query!(decisions, users);

diesel::table! {
    benchmark_scenarios (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        description -> Text,
        dimension_id -> Nullable<Integer>,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    benchmark_environments (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        hardware -> Text,
        os -> Text,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    benchmark_uploads (id) {
        id -> Integer,
        tool -> Text,
        filename -> Text,
        content -> Text,
        settings -> Text,
        uploaded_by -> Nullable<Integer>,
        uploaded_at -> Timestamp,
        imported_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    benchmark_runs (id) {
        id -> Integer,
        upload_id -> Nullable<Integer>,
        scenario_id -> Integer,
        environment_id -> Nullable<Integer>,
        source_id -> Nullable<Integer>,
        tool -> Text,
        tool_version -> Text,
        ran_on -> Date,
        concurrency -> Nullable<Integer>,
        threads -> Nullable<Integer>,
        duration_secs -> Nullable<Double>,
        notes -> Text,
        checks -> Text,
        thresholds -> Text,
        imported_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    benchmark_results (id) {
        id -> Integer,
        run_id -> Integer,
        technology_id -> Integer,
        label -> Text,
        requests_per_sec -> Double,
        total_requests -> Nullable<BigInt>,
        latency_avg_ms -> Nullable<Double>,
        latency_stdev_ms -> Nullable<Double>,
        latency_max_ms -> Nullable<Double>,
        p50_ms -> Nullable<Double>,
        p75_ms -> Nullable<Double>,
        p90_ms -> Nullable<Double>,
        p95_ms -> Nullable<Double>,
        p99_ms -> Nullable<Double>,
        p999_ms -> Nullable<Double>,
        errors -> BigInt,
        non_2xx -> BigInt,
        status_codes -> Text,
        error_kinds -> Text,
        memory_mib -> Nullable<Double>,
        position -> Integer,
        language_id -> Nullable<Integer>,
    }
}

diesel::joinable!(benchmark_scenarios -> dimensions (dimension_id));
diesel::joinable!(benchmark_runs -> benchmark_uploads (upload_id));
diesel::joinable!(benchmark_runs -> benchmark_scenarios (scenario_id));
diesel::joinable!(benchmark_runs -> benchmark_environments (environment_id));
diesel::joinable!(benchmark_runs -> sources (source_id));
diesel::joinable!(benchmark_results -> benchmark_runs (run_id));
diesel::joinable!(benchmark_results -> technologies (technology_id));
