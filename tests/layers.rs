//! Imports run one way. Each module of `src/` stands on a layer and may name only the
//! layers below it (and itself); no file names, through any chain of others, a file that
//! names it back. Read from the code itself: every `crate::`, `super::` and `self::` path,
//! and every path through a child module a file declares, outside `#[cfg(test)]` code.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::visit::{self, Visit};

/// The layers, from the ground up. A module may name modules of lower layers only; the
/// modules of one layer never name each other.
const LAYERS: &[&[&str]] = &[
    &["db"],
    &["audit"],
    &["web"],
    &["editing"],
    &["accounts", "catalog"],
    &["benchmarks"],
    &["advisor", "compare", "seed"],
    &["decisions"],
    &["site"],
    &["config"],
    &["startup"],
];

/// A file by the module path it defines: `src/catalog/edit/fact.rs` is `catalog::edit::fact`.
type Module = Vec<String>;

fn layer(top: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top))
        .unwrap_or_else(|| panic!("the module `{top}` is on no layer: add it to LAYERS"))
}

fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("under src");
    let mut module: Module = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    module
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// Every path a file names, made absolute (from the crate's root), where it can be.
struct Paths {
    /// The module the visit is in: the file's, or one declared inline in it (`mod tests`).
    module: Module,
    /// The child modules the file declares.
    children: BTreeSet<String>,
    found: Vec<Vec<String>>,
    /// What the file re-exports (`pub use`): the name and the path it stands for.
    exports: Vec<(String, Vec<String>)>,
}

impl Paths {
    fn absolute(&self, segments: Vec<String>) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let mut path = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.module.clone(),
            "super" => {
                let mut parent = self.module.clone();
                parent.pop();
                parent
            }
            child if self.children.contains(child) => {
                let mut path = self.module.clone();
                path.push(child.to_owned());
                path
            }
            _ => return None,
        };
        let mut rest = rest.iter().peekable();
        while rest.peek().is_some_and(|s| *s == "super") {
            path.pop();
            rest.next();
        }
        path.extend(rest.cloned());
        Some(path)
    }

    fn note(&mut self, segments: Vec<String>) {
        if let Some(path) = self.absolute(segments) {
            self.found.push(path);
        }
    }

    fn uses(&mut self, prefix: Vec<String>, tree: &syn::UseTree) {
        let with = |name: &syn::Ident| {
            let mut path = prefix.clone();
            path.push(name.to_string());
            path
        };
        match tree {
            syn::UseTree::Path(p) => self.uses(with(&p.ident), &p.tree),
            syn::UseTree::Name(n) => self.note(with(&n.ident)),
            syn::UseTree::Rename(r) => {
                // Re-exported, it goes by its new name.
                let mut path = with(&r.ident);
                path.push(format!("as {}", r.rename));
                self.note(path);
            }
            syn::UseTree::Glob(_) => self.note(prefix),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.uses(prefix.clone(), tree);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let before = self.found.len();
        self.uses(Vec::new(), &item.tree);
        if matches!(item.vis, syn::Visibility::Public(_)) {
            let exported = self.found[before..].iter().filter_map(|path| {
                let last = path.last()?;
                Some(match last.strip_prefix("as ") {
                    Some(rename) => (rename.to_owned(), path[..path.len() - 1].to_vec()),
                    None => (last.clone(), path.clone()),
                })
            });
            self.exports.extend(exported.collect::<Vec<_>>());
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if is_test(&item.attrs) {
            return;
        }
        self.module.push(item.ident.to_string());
        visit::visit_item_mod(self, item);
        self.module.pop();
    }

    // `pub(super)` says who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.note(segments);
        visit::visit_path(self, path);
    }
}

/// Whether an item is compiled for tests only (`#[cfg(test)]`): tests may reach a unit
/// through its module's public face, so what they name is not part of the structure.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| match &attr.meta {
        syn::Meta::List(list) => list.path.is_ident("cfg") && list.tokens.to_string() == "test",
        _ => false,
    })
}

/// Each file's module and the modules (files) it names.
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut read = BTreeMap::new();
    let mut test_only = BTreeSet::new();
    for file in &files {
        let module = module_of(&src, file);
        // The binary names the library as `verdict::`, from outside; it is above everything.
        if module == ["main"] {
            continue;
        }
        let text = fs::read_to_string(file).expect("readable source");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let children = ast
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) if m.content.is_none() => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        test_only.extend(ast.items.iter().filter_map(|item| match item {
            syn::Item::Mod(m) if m.content.is_none() && is_test(&m.attrs) => {
                Some([module.clone(), vec![m.ident.to_string()]].concat())
            }
            _ => None,
        }));
        let mut paths = Paths {
            module: module.clone(),
            children,
            found: Vec::new(),
            exports: Vec::new(),
        };
        paths.visit_file(&ast);
        read.insert(module, paths);
    }
    // A path leads to the deepest module file it passes through, or on through what that
    // file re-exports.
    let file_of = |path: &[String]| -> Option<Module> {
        let mut path = path.to_vec();
        for _ in 0..8 {
            let module = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|prefix| read.contains_key(prefix))?;
            let exported = path.get(module.len()).and_then(|name| {
                read[&module]
                    .exports
                    .iter()
                    .find(|(exported, _)| exported == name)
            });
            match exported {
                Some((_, target)) if target != &path => {
                    path = [target.clone(), path[module.len() + 1..].to_vec()].concat();
                }
                _ => return Some(module),
            }
        }
        None
    };
    read.iter()
        .filter(|(module, _)| !test_only.contains(*module))
        .map(|(module, paths)| {
            let named = paths
                .found
                .iter()
                .filter_map(|path| file_of(path))
                .filter(|target| target != module && !target.is_empty())
                .collect();
            (module.clone(), named)
        })
        .collect()
}

fn name(module: &Module) -> String {
    module.join("::")
}

#[test]
fn every_module_names_only_the_layers_below_it() {
    let graph = graph();
    let mut upward = Vec::new();
    for (module, named) in &graph {
        let Some(top) = module.first() else { continue };
        for target in named {
            let other = &target[0];
            if other != top && layer(other) >= layer(top) {
                upward.push(format!("{} names {}", name(module), name(target)));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run sideways or up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_file_names_one_that_names_it_back() {
    let graph = graph();
    // Depth-first, keeping the chain that led here: a file met again on it closes a circle.
    fn visit<'a>(
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        module: &'a Module,
        chain: &mut Vec<&'a Module>,
        done: &mut BTreeSet<&'a Module>,
        circles: &mut Vec<String>,
    ) {
        if let Some(at) = chain.iter().position(|m| *m == module) {
            let circle: Vec<String> = chain[at..].iter().map(|m| name(m)).collect();
            circles.push(format!("{} -> {}", circle.join(" -> "), name(module)));
            return;
        }
        if !done.insert(module) {
            return;
        }
        chain.push(module);
        for target in graph.get(module).into_iter().flatten() {
            visit(graph, target, chain, done, circles);
        }
        chain.pop();
    }
    let mut circles = Vec::new();
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(&graph, module, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(circles.is_empty(), "circles:\n{}", circles.join("\n"));
}

#[test]
fn the_reading_of_paths_sees_what_a_file_names() {
    let graph = graph();
    let named = |from: &str| {
        let module: Module = from.split("::").map(str::to_owned).collect();
        graph[&module].iter().map(name).collect::<Vec<_>>()
    };
    // A `use` of `crate::`, a path through a child module, and `super::`.
    assert!(named("catalog::api").contains(&"editing::api".to_owned()));
    assert!(named("catalog").contains(&"catalog::pages".to_owned()));
    assert!(named("catalog::edit::technology").contains(&"catalog::edit::fact".to_owned()));
}

/// The graph itself, module by module: `cargo test --test layers -- --ignored --nocapture`.
#[test]
#[ignore = "prints the import graph; it asserts nothing"]
fn print_the_import_graph() {
    let mut modules: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let graph = graph();
    for (module, named) in &graph {
        let Some(top) = module.first() else { continue };
        let entry = modules.entry(top).or_default();
        entry.extend(
            named
                .iter()
                .map(|target| target[0].as_str())
                .filter(|other| other != top),
        );
    }
    for (module, named) in modules {
        let named: Vec<&str> = named.into_iter().collect();
        println!("{module} -> {}", named.join(", "));
    }
    println!("{} files, {} imports between files", graph.len(), {
        graph.values().map(BTreeSet::len).sum::<usize>()
    });
}
