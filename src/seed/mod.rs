//! The demo dataset, "Go or Rust for a backend web service?", embedded in the binary as data
//! and loaded into either backend. Loading is idempotent: what exists (matched by slug, or
//! by title and publisher for sources) is left as it is, so editors' changes survive.
//! Synthetic data (`synthetic`) adds a large catalog around it, to measure Verdict at scale.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;

mod benchmarks;
mod synthetic;

use crate::catalog::model::{Confidence, Kind};
use crate::db::schema::{
    assessment_sources, assessments, dimensions, requirement_weights, requirements, sources,
    technologies,
};
use crate::db::{self, DbConnection};
use crate::editing::Slug;
use benchmarks::BenchmarkSeeds;
pub use synthetic::{Added, Beyond};
use synthetic::{Anchors, BIG_LANGUAGES, DemoItems};

const CATALOG: &str = include_str!("catalog.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    sources: Vec<SourceSeed>,
    dimensions: Vec<DimensionSeed>,
    technologies: Vec<TechnologySeed>,
    facts: Vec<FactSeed>,
    #[serde(default)]
    requirements: Vec<RequirementSeed>,
    /// From `benchmarks.toml`, for the demo dataset.
    #[serde(skip)]
    benchmarks: Option<BenchmarkSeeds>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSeed {
    key: String,
    title: String,
    publisher: String,
    published_on: Option<NaiveDate>,
    url: Option<String>,
    notes: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionSeed {
    slug: String,
    name: String,
    description: String,
    scale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TechnologySeed {
    slug: String,
    name: String,
    kind: Kind,
    language: Option<String>,
    summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactSeed {
    technology: String,
    dimension: String,
    score: Option<i32>,
    text: String,
    as_of: NaiveDate,
    confidence: Confidence,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementSeed {
    slug: String,
    name: String,
    explanation: String,
    /// Scored dimensions by slug, each weighing 1-5.
    weights: BTreeMap<String, i32>,
    constraint: Option<ConstraintSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstraintSeed {
    dimension: String,
    min: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("the dataset is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("the dataset is inconsistent: {0}")]
    Inconsistent(String),
}

impl Dataset {
    /// The demo dataset compiled into the binary.
    pub fn demo() -> Result<Self, DatasetError> {
        let mut dataset = Self::parse(CATALOG)?;
        let benchmarks = BenchmarkSeeds::demo()?;
        let technologies: Vec<&str> = dataset
            .technologies
            .iter()
            .map(|t| t.slug.as_str())
            .collect();
        let sources: Vec<&str> = dataset.sources.iter().map(|s| s.key.as_str()).collect();
        benchmarks
            .check(&technologies, &sources)
            .map_err(DatasetError::Inconsistent)?;
        dataset.benchmarks = Some(benchmarks);
        Ok(dataset)
    }

    /// Parses a dataset and checks that everything it refers to is in it.
    pub fn parse(text: &str) -> Result<Self, DatasetError> {
        let dataset: Self = toml::from_str(text)?;
        dataset.check().map_err(DatasetError::Inconsistent)?;
        Ok(dataset)
    }

    fn check(&self) -> Result<(), String> {
        let source_keys: HashSet<&str> = self.sources.iter().map(|s| s.key.as_str()).collect();
        let scales: HashMap<&str, bool> = self
            .dimensions
            .iter()
            .map(|d| (d.slug.as_str(), d.scale.is_some()))
            .collect();
        let mut languages = HashSet::new();
        for slug in self.dimensions.iter().map(|d| &d.slug) {
            Slug::parse(slug).map_err(|e| format!("dimension slug `{slug}` {e}"))?;
        }
        for technology in &self.technologies {
            let slug = &technology.slug;
            Slug::parse(slug).map_err(|e| format!("technology slug `{slug}` {e}"))?;
            if let Some(language) = &technology.language
                && !languages.contains(language.as_str())
            {
                return Err(format!(
                    "technology `{slug}` belongs to `{language}`, which is not a language listed before it"
                ));
            }
            if technology.kind == Kind::Language {
                languages.insert(slug.as_str());
            }
        }
        let technologies: HashSet<&str> =
            self.technologies.iter().map(|t| t.slug.as_str()).collect();
        let mut pairs = HashSet::new();
        for fact in &self.facts {
            let at = format!("fact `{}` on `{}`", fact.technology, fact.dimension);
            if !technologies.contains(fact.technology.as_str()) {
                return Err(format!("{at}: no such technology"));
            }
            let Some(&scored) = scales.get(fact.dimension.as_str()) else {
                return Err(format!("{at}: no such dimension"));
            };
            match fact.score {
                Some(_) if !scored => return Err(format!("{at}: the dimension carries no score")),
                Some(score) if !(1..=5).contains(&score) => {
                    return Err(format!("{at}: score {score} is not between 1 and 5"));
                }
                _ => {}
            }
            if fact.sources.is_empty() {
                return Err(format!("{at}: cites no source"));
            }
            if let Some(key) = fact
                .sources
                .iter()
                .find(|key| !source_keys.contains(key.as_str()))
            {
                return Err(format!("{at}: no source `{key}`"));
            }
            if !pairs.insert((&fact.technology, &fact.dimension)) {
                return Err(format!("{at}: recorded twice"));
            }
        }
        for requirement in &self.requirements {
            let at = format!("requirement `{}`", requirement.slug);
            Slug::parse(&requirement.slug).map_err(|e| format!("{at}: slug {e}"))?;
            if requirement.weights.is_empty() {
                return Err(format!("{at}: weighs no dimension"));
            }
            let constrained = requirement
                .constraint
                .as_ref()
                .map(|c| (&c.dimension, c.min));
            let weighed = requirement.weights.iter().map(|(d, &w)| (d, w));
            for (dimension, value) in weighed.chain(constrained) {
                if scales.get(dimension.as_str()) != Some(&true) {
                    return Err(format!("{at}: `{dimension}` is not a scored dimension"));
                }
                if !(1..=5).contains(&value) {
                    return Err(format!(
                        "{at}: {value} on `{dimension}` is not between 1 and 5"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Dataset {
    /// Each of its items by what identifies it, to tell a database holding it alone.
    fn items(&self) -> DemoItems {
        let key_to_source: HashMap<&str, (String, String)> = self
            .sources
            .iter()
            .map(|s| (s.key.as_str(), (s.title.clone(), s.publisher.clone())))
            .collect();
        let mut items = DemoItems {
            technologies: self.technologies.iter().map(|t| t.slug.clone()).collect(),
            dimensions: self.dimensions.iter().map(|d| d.slug.clone()).collect(),
            sources: key_to_source.values().cloned().collect(),
            facts: self
                .facts
                .iter()
                .map(|f| (f.technology.clone(), f.dimension.clone()))
                .collect(),
            requirements: self.requirements.iter().map(|r| r.slug.clone()).collect(),
            ..DemoItems::default()
        };
        if let Some(benchmarks) = &self.benchmarks {
            (items.scenarios, items.environments) = benchmarks.slugs();
            let (_, _, sources) = benchmarks.published();
            items.run_sources = sources
                .iter()
                .filter_map(|key| key_to_source.get(key.as_str()).cloned())
                .collect();
            items.files = benchmarks.file_names();
        }
        items
    }

    /// What synthetic data attaches to: the scored dimensions, Go's and Rust's frameworks
    /// and libraries, and the published runs' scenarios and environment.
    fn anchors(&self) -> Anchors {
        let (scenarios, environment, _) = self
            .benchmarks
            .as_ref()
            .map(BenchmarkSeeds::published)
            .unwrap_or_default();
        Anchors {
            dimensions: self
                .dimensions
                .iter()
                .filter(|d| d.scale.is_some())
                .map(|d| d.slug.clone())
                .collect(),
            implementations: self
                .technologies
                .iter()
                .filter(|t| matches!(t.kind, Kind::Framework | Kind::Library))
                .filter_map(|t| {
                    let language = t.language.as_ref()?;
                    BIG_LANGUAGES
                        .iter()
                        .any(|(slug, _)| slug == language)
                        .then(|| (language.clone(), t.slug.clone(), t.name.clone()))
                })
                .collect(),
            scenarios,
            environment: environment.unwrap_or_default(),
        }
    }
}

/// Why `load_synthetic` added nothing.
#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    #[error(
        "the database holds more than the demo dataset: {0}. Synthetic data is for measuring \
         Verdict at scale; add --force to add it to this database all the same"
    )]
    BeyondTheDemo(Beyond),
    #[error("writing the synthetic data failed")]
    Query(#[from] diesel::result::Error),
}

/// `verdict seed --synthetic N`: loads what is missing of `dataset` (all of it into an
/// empty database), then adds the first `n` synthetic technologies with their facts,
/// sources and benchmark runs, in one transaction. A database holding anything beyond the
/// dataset is refused unless `force`. Then the planners' statistics are brought up to date.
pub fn load_synthetic(
    conn: &mut DbConnection,
    dataset: &Dataset,
    n: u64,
    force: bool,
) -> Result<(Loaded, Added), SyntheticError> {
    let items = dataset.items();
    let anchors = dataset.anchors();
    let loaded = db::write(conn, |conn| {
        let beyond = synthetic::beyond_demo(conn, &items)?;
        if !force && !beyond.is_empty() {
            return Err(SyntheticError::BeyondTheDemo(beyond));
        }
        let loaded = load(conn, dataset)?;
        let added = synthetic::add(conn, n, &anchors)?;
        Ok((loaded, added))
    })?;
    synthetic::analyze(conn)?;
    Ok(loaded)
}

/// How many rows a load added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub sources: usize,
    pub dimensions: usize,
    pub technologies: usize,
    pub facts: usize,
    pub requirements: usize,
    pub benchmark_runs: usize,
}

impl fmt::Display for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} technologies, {} dimensions, {} sources, {} facts, {} requirements and {} benchmark runs added",
            self.technologies,
            self.dimensions,
            self.sources,
            self.facts,
            self.requirements,
            self.benchmark_runs
        )
    }
}

/// Loads `dataset` in one transaction, adding only what is missing.
pub fn load(conn: &mut DbConnection, dataset: &Dataset) -> QueryResult<Loaded> {
    db::write(conn, |conn| {
        let now = Utc::now().naive_utc();
        let mut loaded = Loaded::default();
        let source_ids = load_sources(conn, dataset, now, &mut loaded)?;
        let dimension_ids = load_dimensions(conn, dataset, now, &mut loaded)?;
        let technology_ids = load_technologies(conn, dataset, now, &mut loaded)?;

        let existing: HashSet<(i32, i32)> = assessments::table
            .select((assessments::technology_id, assessments::dimension_id))
            .load::<(i32, i32)>(conn)?
            .into_iter()
            .collect();
        for fact in &dataset.facts {
            let pair = (
                technology_ids[&fact.technology],
                dimension_ids[&fact.dimension],
            );
            if existing.contains(&pair) {
                continue;
            }
            let id: i32 = diesel::insert_into(assessments::table)
                .values((
                    assessments::technology_id.eq(pair.0),
                    assessments::dimension_id.eq(pair.1),
                    assessments::score.eq(fact.score),
                    assessments::body.eq(&fact.text),
                    assessments::as_of.eq(fact.as_of),
                    assessments::confidence.eq(fact.confidence.as_str()),
                    assessments::created_at.eq(now),
                    assessments::updated_at.eq(now),
                ))
                .returning(assessments::id)
                .get_result(conn)?;
            for key in &fact.sources {
                diesel::insert_into(assessment_sources::table)
                    .values((
                        assessment_sources::assessment_id.eq(id),
                        assessment_sources::source_id.eq(source_ids[key]),
                    ))
                    .execute(conn)?;
            }
            loaded.facts += 1;
        }
        load_requirements(conn, dataset, &dimension_ids, now, &mut loaded)?;
        if let Some(benchmarks) = &dataset.benchmarks {
            loaded.benchmark_runs = benchmarks::load(conn, benchmarks, &source_ids, now)?;
        }
        if loaded != Loaded::default() {
            db::bump_content_revision(conn)?;
        }
        Ok(loaded)
    })
}

/// Source ids by the dataset's keys.
fn load_sources(
    conn: &mut DbConnection,
    dataset: &Dataset,
    now: NaiveDateTime,
    loaded: &mut Loaded,
) -> QueryResult<HashMap<String, i32>> {
    let existing: HashMap<(String, String), i32> = sources::table
        .select((sources::title, sources::publisher, sources::id))
        .load::<(String, String, i32)>(conn)?
        .into_iter()
        .map(|(title, publisher, id)| ((title, publisher), id))
        .collect();
    let mut ids = HashMap::new();
    for source in &dataset.sources {
        let id = match existing.get(&(source.title.clone(), source.publisher.clone())) {
            Some(&id) => id,
            None => {
                loaded.sources += 1;
                diesel::insert_into(sources::table)
                    .values((
                        sources::title.eq(&source.title),
                        sources::publisher.eq(&source.publisher),
                        sources::published_on.eq(source.published_on),
                        sources::url.eq(&source.url),
                        sources::notes.eq(source.notes.as_deref().unwrap_or_default()),
                        sources::created_at.eq(now),
                        sources::updated_at.eq(now),
                    ))
                    .returning(sources::id)
                    .get_result(conn)?
            }
        };
        ids.insert(source.key.clone(), id);
    }
    Ok(ids)
}

/// Dimension ids by slug. New dimensions go after the existing ones, in the dataset's order.
fn load_dimensions(
    conn: &mut DbConnection,
    dataset: &Dataset,
    now: NaiveDateTime,
    loaded: &mut Loaded,
) -> QueryResult<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = dimensions::table
        .select((dimensions::slug, dimensions::id))
        .load(conn)?
        .into_iter()
        .collect();
    let mut position: i32 = dimensions::table
        .select(diesel::dsl::max(dimensions::position))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0);
    for dimension in &dataset.dimensions {
        if ids.contains_key(&dimension.slug) {
            continue;
        }
        position += 10;
        loaded.dimensions += 1;
        let id = diesel::insert_into(dimensions::table)
            .values((
                dimensions::slug.eq(&dimension.slug),
                dimensions::name.eq(&dimension.name),
                dimensions::description.eq(&dimension.description),
                dimensions::scale.eq(&dimension.scale),
                dimensions::position.eq(position),
                dimensions::created_at.eq(now),
                dimensions::updated_at.eq(now),
            ))
            .returning(dimensions::id)
            .get_result(conn)?;
        ids.insert(dimension.slug.clone(), id);
    }
    Ok(ids)
}

/// Technology ids by slug. Languages come before their frameworks in the dataset.
fn load_technologies(
    conn: &mut DbConnection,
    dataset: &Dataset,
    now: NaiveDateTime,
    loaded: &mut Loaded,
) -> QueryResult<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = technologies::table
        .select((technologies::slug, technologies::id))
        .load(conn)?
        .into_iter()
        .collect();
    for technology in &dataset.technologies {
        if ids.contains_key(&technology.slug) {
            continue;
        }
        loaded.technologies += 1;
        let language_id = technology.language.as_ref().map(|slug| ids[slug]);
        let id = diesel::insert_into(technologies::table)
            .values((
                technologies::slug.eq(&technology.slug),
                technologies::name.eq(&technology.name),
                technologies::kind.eq(technology.kind.as_str()),
                technologies::language_id.eq(language_id),
                technologies::summary.eq(&technology.summary),
                technologies::created_at.eq(now),
                technologies::updated_at.eq(now),
            ))
            .returning(technologies::id)
            .get_result(conn)?;
        ids.insert(technology.slug.clone(), id);
    }
    Ok(ids)
}

/// Requirements missing by slug, after the existing ones, in the dataset's order.
fn load_requirements(
    conn: &mut DbConnection,
    dataset: &Dataset,
    dimension_ids: &HashMap<String, i32>,
    now: NaiveDateTime,
    loaded: &mut Loaded,
) -> QueryResult<()> {
    let existing: HashSet<String> = requirements::table
        .select(requirements::slug)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut position: i32 = requirements::table
        .select(diesel::dsl::max(requirements::position))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0);
    for requirement in &dataset.requirements {
        if existing.contains(&requirement.slug) {
            continue;
        }
        position += 10;
        loaded.requirements += 1;
        let constraint = requirement.constraint.as_ref();
        let id: i32 = diesel::insert_into(requirements::table)
            .values((
                requirements::slug.eq(&requirement.slug),
                requirements::name.eq(&requirement.name),
                requirements::explanation.eq(&requirement.explanation),
                requirements::constraint_dimension_id
                    .eq(constraint.map(|c| dimension_ids[&c.dimension])),
                requirements::constraint_min.eq(constraint.map(|c| c.min)),
                requirements::position.eq(position),
                requirements::created_at.eq(now),
                requirements::updated_at.eq(now),
            ))
            .returning(requirements::id)
            .get_result(conn)?;
        for (dimension, &weight) in &requirement.weights {
            diesel::insert_into(requirement_weights::table)
                .values((
                    requirement_weights::requirement_id.eq(id),
                    requirement_weights::dimension_id.eq(dimension_ids[dimension]),
                    requirement_weights::weight.eq(weight),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_dataset_is_consistent() {
        let dataset = Dataset::demo().expect("the embedded dataset is valid");
        assert_eq!(dataset.sources.len(), 6);
        assert!(
            dataset.benchmarks.is_some(),
            "the benchmark evidence is in the demo"
        );
        assert!(dataset.technologies.len() >= 18);
        let go_facts = dataset
            .facts
            .iter()
            .filter(|f| f.technology == "go")
            .count();
        let rust_facts = dataset
            .facts
            .iter()
            .filter(|f| f.technology == "rust")
            .count();
        assert!(
            go_facts >= 16 && rust_facts >= 16,
            "{go_facts} {rust_facts}"
        );
    }

    #[test]
    fn synthetic_data_has_what_to_attach_to_in_the_demo() {
        let dataset = Dataset::demo().expect("the embedded dataset is valid");
        let anchors = dataset.anchors();
        assert_eq!(anchors.dimensions.len(), 9, "{:?}", anchors.dimensions);
        for (language, _) in BIG_LANGUAGES {
            assert!(
                dataset
                    .technologies
                    .iter()
                    .any(|t| t.slug == language && t.kind == Kind::Language),
                "{language} is a language of the demo"
            );
            assert!(
                anchors
                    .implementations
                    .iter()
                    .any(|(of, _, _)| of == language),
                "{language} has frameworks in the demo"
            );
        }
        assert_eq!(
            anchors.scenarios,
            [
                "fortunes",
                "single-query",
                "plaintext",
                "json-serialisation"
            ]
        );
        assert_eq!(anchors.environment, "demo-vm");
        let items = dataset.items();
        assert_eq!(items.run_sources.len(), 1, "the published table, S6");
        assert_eq!(items.files.len(), 2);
        assert_eq!(items.sources.len(), 6);
    }

    const MINIMAL: &str = r#"
        [[sources]]
        key = "S1"
        title = "A"
        publisher = "P"
        [[dimensions]]
        slug = "speed"
        name = "Speed"
        description = "How fast."
        scale = "1 = slow, 5 = fast"
        [[technologies]]
        slug = "go"
        name = "Go"
        kind = "language"
        summary = "A language."
        [[facts]]
        technology = "go"
        dimension = "speed"
        score = 4
        text = "Fast."
        as_of = "2026-11-21"
        confidence = "high"
        sources = ["S1"]
    "#;

    #[test]
    fn a_minimal_dataset_parses() {
        let dataset = Dataset::parse(MINIMAL).expect("valid");
        assert_eq!(dataset.facts.len(), 1);
    }

    #[test]
    fn inconsistencies_are_named() {
        let cases = [
            ("score = 4", "score = 6", "score 6 is not between 1 and 5"),
            ("sources = [\"S1\"]", "sources = [\"S9\"]", "no source `S9`"),
            ("sources = [\"S1\"]", "sources = []", "cites no source"),
            (
                "dimension = \"speed\"",
                "dimension = \"size\"",
                "no such dimension",
            ),
            (
                "technology = \"go\"",
                "technology = \"rust\"",
                "no such technology",
            ),
            ("slug = \"go\"", "slug = \"Go\"", "technology slug `Go`"),
            ("scale = \"1 = slow, 5 = fast\"", "", "carries no score"),
            (
                "[[technologies]]",
                "[[requirements]]\nslug = \"fast\"\nname = \"Fast\"\nexplanation = \"x\"\nweights = { speed = 6 }\n[[technologies]]",
                "6 on `speed` is not between 1 and 5",
            ),
            (
                "[[technologies]]",
                "[[requirements]]\nslug = \"fast\"\nname = \"Fast\"\nexplanation = \"x\"\nweights = {}\n[[technologies]]",
                "weighs no dimension",
            ),
            (
                "[[technologies]]",
                "[[requirements]]\nslug = \"fast\"\nname = \"Fast\"\nexplanation = \"x\"\nweights = { speed = 1 }\nconstraint = { dimension = \"size\", min = 3 }\n[[technologies]]",
                "`size` is not a scored dimension",
            ),
            (
                "kind = \"language\"",
                "kind = \"language\"\nlanguage = \"c\"",
                "not a language listed before it",
            ),
        ];
        for (from, to, expected) in cases {
            let text = MINIMAL.replacen(from, to, 1);
            let error = Dataset::parse(&text).expect_err(expected).to_string();
            assert!(
                error.contains(expected),
                "{error} should contain {expected}"
            );
        }
        let error = Dataset::parse("[[sources]]\nkey = 1")
            .expect_err("syntax")
            .to_string();
        assert!(error.contains("not valid TOML"), "{error}");
    }
}
