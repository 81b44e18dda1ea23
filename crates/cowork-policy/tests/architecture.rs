//! The floors meta-test: the library's top-level modules form floors, each importing only from
//! the floors below it, and no modules import each other in a cycle at any depth.
//!
//! `ARCHITECTURE.md`'s `## Floors` section holds the table, in a ```` ```text ```` block of lines
//! `floor N  module module ...` (`lib.rs` is the crate root). This test reads every file under
//! `src/` with syn, leaving out what exists only in tests, and follows every path that starts
//! with `crate::`, `$crate::` or `super::` (and `self::` in a `use`): in `use` trees, in
//! expressions, types and patterns, and in macro bodies, whose tokens it scans. A path to an item
//! at the crate root (`crate::check_with`) imports `lib.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

#[path = "common/source_tree.rs"]
mod source_tree;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use source_tree::{Crate, SourceFile, is_test_only};
use syn::visit::Visit;

/// The name the floors table gives the crate root.
const ROOT: &str = "lib.rs";

#[test]
fn the_library_keeps_its_floors() {
    let architecture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md"),
    )
    .unwrap();
    let files = source_tree::read_dir(&source_tree::library_src());
    let problems = check(&architecture, &files);
    assert!(
        problems.is_empty(),
        "{} problem(s) with the floors of crates/cowork-policy/src:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// Everything wrong with the tree against the floors table of `architecture` (the text of
/// `ARCHITECTURE.md`): the table and the tree disagreeing, imports going up, cycles. Empty when
/// all is well. `files` are paths under `src/` with their text.
fn check(architecture: &str, files: &[SourceFile]) -> Vec<String> {
    let floors = match parse_floors(architecture) {
        Ok(floors) => floors,
        Err(problem) => return vec![problem],
    };
    let krate = match Crate::parse(files) {
        Ok(krate) => krate,
        Err(problem) => return vec![problem],
    };
    let mut problems = table_problems(&floors, files);
    let imports = imports(&krate);
    problems.extend(upward_imports(&floors, &imports));
    problems.extend(cycles(&imports));
    problems
}

/// The floor of each module named in the `## Floors` section's text block.
fn parse_floors(architecture: &str) -> Result<Vec<(String, u32)>, String> {
    let missing = "ARCHITECTURE.md has no `## Floors` section with a ```text block of \
                   `floor N  module ...` lines";
    let mut lines = architecture.lines();
    lines
        .by_ref()
        .find(|line| line.trim_end() == "## Floors")
        .ok_or(missing)?;
    lines
        .by_ref()
        .take_while(|line| !line.starts_with("## "))
        .find(|line| line.trim() == "```text")
        .ok_or(missing)?;
    let mut floors = Vec::new();
    for line in lines.take_while(|line| line.trim() != "```") {
        let mut words = line.split_whitespace();
        if words.next() != Some("floor") {
            continue;
        }
        let Some(floor) = words.next().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        floors.extend(words.map(|name| (name.to_owned(), floor)));
    }
    if floors.is_empty() {
        return Err(missing.to_owned());
    }
    Ok(floors)
}

/// The table against the tree: each top-level module once, and nothing the tree lacks.
fn table_problems(floors: &[(String, u32)], files: &[SourceFile]) -> Vec<String> {
    let mut in_tree: BTreeMap<String, &str> = BTreeMap::new();
    for (file, _) in files {
        let module = source_tree::module_of_file(file);
        let top = module.first().map_or(ROOT, String::as_str).to_owned();
        in_tree.entry(top).or_insert(file);
    }
    let mut in_table: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (name, floor) in floors {
        in_table.entry(name).or_default().push(*floor);
    }
    let mut problems = Vec::new();
    for (name, file) in &in_tree {
        if !in_table.contains_key(name.as_str()) {
            problems.push(format!(
                "`{name}` (src/{file}) is missing from the floors table in ARCHITECTURE.md"
            ));
        }
    }
    for (name, on) in &in_table {
        if on.len() > 1 {
            let on: Vec<String> = on.iter().map(u32::to_string).collect();
            problems.push(format!(
                "`{name}` appears {} times in the floors table (floors {})",
                on.len(),
                on.join(", ")
            ));
        }
        if !in_tree.contains_key(*name) {
            problems.push(format!(
                "the floors table names `{name}`, which is not a file or folder in src/"
            ));
        }
    }
    problems
}

/// One path from one module to another, where it is written.
#[derive(Debug, Clone)]
struct Import {
    file: String,
    line: usize,
    /// The path as written (`super::rollout::build`).
    written: String,
    /// The module it is written in.
    from: Vec<String>,
    /// The module it names, or that holds the item it names.
    to: Vec<String>,
}

impl Import {
    fn place(&self) -> String {
        format!("src/{}:{} `{}`", self.file, self.line, self.written)
    }
}

/// Every path out of its own module, in every module of the crate.
fn imports(krate: &Crate) -> Vec<Import> {
    let modules: BTreeSet<Vec<String>> = krate.modules.iter().map(|m| m.path.clone()).collect();
    let mut collector = Collector {
        modules: &modules,
        module: &[],
        file: "",
        imports: Vec::new(),
    };
    for module in &krate.modules {
        collector.module = &module.path;
        collector.file = &module.file;
        for item in &module.items {
            collector.visit_item(item);
        }
    }
    collector.imports
}

struct Collector<'a> {
    modules: &'a BTreeSet<Vec<String>>,
    module: &'a [String],
    file: &'a str,
    imports: Vec<Import>,
}

impl Collector<'_> {
    /// Record a path (its segments as written) if it leaves the current module by `crate`,
    /// `$crate`, `super` or `self`.
    fn record(&mut self, segments: &[String], line: usize) {
        let Some(first) = segments.first() else {
            return;
        };
        let (mut absolute, rest) = match first.as_str() {
            "crate" | "$crate" => (Vec::new(), &segments[1..]),
            "self" => (self.module.to_vec(), &segments[1..]),
            "super" => {
                let mut base = self.module.to_vec();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    if base.pop().is_none() {
                        return;
                    }
                    rest = &rest[1..];
                }
                (base, rest)
            }
            _ => return,
        };
        if rest.is_empty() && first == "self" {
            return;
        }
        absolute.extend(rest.iter().filter(|s| *s != "self").cloned());
        let mut to = absolute;
        while !self.modules.contains(&to) {
            to.pop();
        }
        self.imports.push(Import {
            file: self.file.to_owned(),
            line,
            written: segments.join("::"),
            from: self.module.to_vec(),
            to,
        });
    }

    fn use_tree(&mut self, tree: &syn::UseTree, prefix: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.use_leaf(prefix, Some(&n.ident)),
            syn::UseTree::Rename(r) => self.use_leaf(prefix, Some(&r.ident)),
            syn::UseTree::Glob(g) => {
                let line = g.star_token.spans[0].start().line;
                if !prefix.is_empty() {
                    self.record(prefix, line);
                }
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(tree, prefix);
                }
            }
        }
    }

    fn use_leaf(&mut self, prefix: &[String], ident: Option<&syn::Ident>) {
        let mut segments = prefix.to_vec();
        let line = ident.map_or(0, |i| i.span().start().line);
        if let Some(ident) = ident.filter(|i| *i != "self") {
            segments.push(ident.to_string());
        }
        self.record(&segments, line);
    }

    /// The paths in a macro's tokens: `crate :: a :: b`, `$crate :: a`, `super :: a`, with
    /// `{ ... }` groups after a `::` read as in a `use`.
    fn tokens(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(g) => self.tokens(g.stream()),
                TokenTree::Punct(p) if p.as_char() == '$' => {
                    if let Some(TokenTree::Ident(id)) = tokens.get(i + 1)
                        && id == "crate"
                        && path_sep(&tokens, i + 2)
                    {
                        let line = p.span().start().line;
                        i = self.token_path(&tokens, i + 1, &[], true, line);
                        continue;
                    }
                }
                TokenTree::Ident(id)
                    if (id == "crate" || id == "super") && path_sep(&tokens, i + 1) =>
                {
                    let line = id.span().start().line;
                    i = self.token_path(&tokens, i, &[], false, line);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// Read the path starting at `tokens[i]` (an identifier), after `prefix`, record it, and
    /// return the index after it. `dollar` marks a `$crate` path.
    fn token_path(
        &mut self,
        tokens: &[TokenTree],
        mut i: usize,
        prefix: &[String],
        dollar: bool,
        line: usize,
    ) -> usize {
        let mut segments = prefix.to_vec();
        loop {
            match tokens.get(i) {
                Some(TokenTree::Ident(id)) => {
                    segments.push(id.to_string());
                    i += 1;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    for part in inner
                        .split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                        .filter(|part| !part.is_empty())
                    {
                        self.token_path(part, 0, &segments, dollar, line);
                    }
                    return i + 1;
                }
                Some(TokenTree::Punct(p)) if p.as_char() == '*' => {
                    i += 1;
                    break;
                }
                _ => break,
            }
            if path_sep(tokens, i) {
                i += 2;
            } else {
                break;
            }
        }
        if dollar && let Some(first) = segments.first_mut() {
            *first = "$crate".to_owned();
        }
        self.record(&segments, line);
        i
    }
}

fn path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':'
    )
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if is_test_only(source_tree::item_attrs(item)) {
            return;
        }
        match item {
            // An inline module is a module of its own, visited as such.
            syn::Item::Mod(m) if m.content.is_some() => {}
            syn::Item::Use(u) => self.use_tree(&u.tree, &mut Vec::new()),
            _ => syn::visit::visit_item(self, item),
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => return syn::visit::visit_impl_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_impl_item(self, item);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.segments.len() > 1 {
            let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let line = path.segments[0].ident.span().start().line;
            self.record(&segments, line);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.tokens(mac.tokens.clone());
    }
}

/// Imports from a lower floor to a higher one.
fn upward_imports(floors: &[(String, u32)], imports: &[Import]) -> Vec<String> {
    let floor_of: BTreeMap<&str, u32> = floors.iter().map(|(n, f)| (n.as_str(), *f)).collect();
    let top = |module: &[String]| module.first().map_or(ROOT, String::as_str).to_owned();
    let mut imports: Vec<&Import> = imports.iter().collect();
    imports.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut problems = Vec::new();
    for import in imports {
        let (from, to) = (top(&import.from), top(&import.to));
        if from == to {
            continue;
        }
        if let (Some(&low), Some(&high)) = (floor_of.get(from.as_str()), floor_of.get(to.as_str()))
            && low < high
        {
            problems.push(format!(
                "{}: `{from}` (floor {low}) imports `{to}` (floor {high}), above it",
                import.place()
            ));
        }
    }
    problems
}

/// Import cycles between sibling modules, at any depth. An import from module A to module B
/// is an edge between the two children of their lowest common ancestor that lead to them; an
/// import into one's own ancestor or descendant is containment and joins no cycle.
fn cycles(imports: &[Import]) -> Vec<String> {
    // parent -> (child, child) -> first import that makes the edge
    let mut edges: BTreeMap<Vec<String>, BTreeMap<(String, String), &Import>> = BTreeMap::new();
    for import in imports {
        let common = import
            .from
            .iter()
            .zip(&import.to)
            .take_while(|(a, b)| a == b)
            .count();
        if common == import.from.len() || common == import.to.len() {
            continue;
        }
        let key = (import.from[common].clone(), import.to[common].clone());
        let first = edges
            .entry(import.from[..common].to_vec())
            .or_default()
            .entry(key)
            .or_insert(import);
        if (import.file.as_str(), import.line) < (first.file.as_str(), first.line) {
            *first = import;
        }
    }
    let mut problems = Vec::new();
    for (parent, edges) in &edges {
        let graph: BTreeMap<&str, BTreeSet<&str>> =
            edges.keys().fold(BTreeMap::new(), |mut graph, (from, to)| {
                graph.entry(from.as_str()).or_default().insert(to.as_str());
                graph.entry(to.as_str()).or_default();
                graph
            });
        let parent_name = if parent.is_empty() {
            "the crate root".to_owned()
        } else {
            format!("`{}`", parent.join("::"))
        };
        for cycle in simple_cycles(&graph) {
            let chain: Vec<&str> = cycle.iter().chain(cycle.first()).copied().collect();
            let mut text = format!("import cycle in {parent_name}: {}", chain.join(" -> "));
            for pair in chain.windows(2) {
                let import = edges[&(pair[0].to_owned(), pair[1].to_owned())];
                text.push_str(&format!(
                    "\n  {} -> {}: {}",
                    pair[0],
                    pair[1],
                    import.place()
                ));
            }
            problems.push(text);
        }
    }
    problems
}

/// Cycles that cover every edge lying on one: for each such edge `a -> b`, the shortest way
/// back from `b` to `a`. Each cycle starts at its smallest node; none is repeated.
fn simple_cycles<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    let mut found: BTreeSet<Vec<&str>> = BTreeSet::new();
    for (&from, tos) in graph {
        for &to in tos {
            let Some(back) = shortest_path(graph, to, from) else {
                continue;
            };
            // back: to ... from; the cycle is from -> to -> ... -> (from)
            let mut cycle = vec![from];
            cycle.extend(&back[..back.len() - 1]);
            let smallest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(smallest);
            found.insert(cycle);
        }
    }
    found.into_iter().collect()
}

fn shortest_path<'a>(
    graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
    start: &'a str,
    goal: &'a str,
) -> Option<Vec<&'a str>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen = BTreeSet::from([start]);
    while let Some(node) = queue.pop_front() {
        if node == goal {
            let mut path = vec![node];
            let mut at = node;
            while let Some(&prev) = came_from.get(at) {
                path.push(prev);
                at = prev;
            }
            path.reverse();
            return Some(path);
        }
        for &next in graph.get(node).into_iter().flatten() {
            if seen.insert(next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

/// The checker over small trees written here, so that it provably fails where it should.
mod checker {
    use super::check;

    const TABLE: &str = "# Architecture\n\n## Floors\n\n```text\nfloor 2  lib.rs  top\n\
                         floor 1  middle  other\nfloor 0  base\n```\n\n## Next\n";

    fn files(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    /// The problems other than cycles: an upward import makes one wherever the module above
    /// imports the one below, as in these trees.
    fn upward(problems: Vec<String>) -> Vec<String> {
        problems
            .into_iter()
            .filter(|p| !p.starts_with("import cycle"))
            .collect()
    }

    const LIB: &str = "mod base;\nmod middle;\nmod other;\npub mod top;\npub fn api() {}\n";

    /// A clean tree, and the same tree with `extra` added to one file.
    fn tree_with(path: &str, extra: &str) -> Vec<(String, String)> {
        let mut tree = vec![
            ("lib.rs", LIB.to_owned()),
            ("base.rs", "pub struct Span;\n".to_owned()),
            (
                "middle/mod.rs",
                "mod a;\nmod b;\nuse crate::base::Span;\npub fn m(_: Span) {}\n".to_owned(),
            ),
            ("middle/a.rs", "pub fn a() { super::b::b(); }\n".to_owned()),
            ("middle/b.rs", "pub fn b() {}\n".to_owned()),
            ("other.rs", "use crate::middle::m;\n".to_owned()),
            (
                "top.rs",
                "use crate::{base::Span, middle::m};\npub fn t() { crate::api(); }\n".to_owned(),
            ),
        ];
        for (file, text) in &mut tree {
            if *file == path {
                text.push_str(extra);
            }
        }
        files(
            &tree
                .iter()
                .map(|(f, t)| (*f, t.as_str()))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_clean_tree_passes() {
        assert_eq!(check(TABLE, &tree_with("", "")), Vec::<String>::new());
    }

    #[test]
    fn an_upward_use_fails_with_file_line_path_and_floors() {
        let problems = check(TABLE, &tree_with("base.rs", "use crate::middle::m;\n"));
        assert_eq!(
            problems,
            [
                "src/base.rs:2 `crate::middle::m`: `base` (floor 0) imports `middle` (floor 1), \
                 above it",
                "import cycle in the crate root: base -> middle -> base\n  \
                 base -> middle: src/base.rs:2 `crate::middle::m`\n  \
                 middle -> base: src/middle/mod.rs:3 `crate::base::Span`"
            ]
        );
    }

    #[test]
    fn an_upward_path_in_a_use_group_fails() {
        let problems = upward(check(
            TABLE,
            &tree_with("middle/b.rs", "use crate::{base::Span, top::{t, self}};\n"),
        ));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].starts_with("src/middle/b.rs:2 `crate::top::t`: `middle` (floor 1)"));
        assert!(problems[1].starts_with("src/middle/b.rs:2 `crate::top`: "));
    }

    #[test]
    fn an_inline_path_in_an_expression_or_a_type_fails() {
        let problems = upward(check(
            TABLE,
            &tree_with(
                "base.rs",
                "pub fn f(_: crate::other::Thing) {\n    let _ = crate::middle::m;\n}\n",
            ),
        ));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].starts_with("src/base.rs:2 `crate::other::Thing`: `base` (floor 0)"));
        assert!(problems[1].starts_with("src/base.rs:3 `crate::middle::m`: "));
    }

    #[test]
    fn a_path_in_a_macro_body_fails() {
        let problems = upward(check(
            TABLE,
            &tree_with(
                "base.rs",
                "fn f() -> String {\n    format!(\"{}\", crate::middle::m())\n}\n\
                 macro_rules! m { () => { $crate::top::t() }; }\n",
            ),
        ));
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].starts_with("src/base.rs:3 `crate::middle::m`: "));
        assert!(problems[1].starts_with("src/base.rs:5 `$crate::top::t`: `base` (floor 0)"));
    }

    #[test]
    fn an_item_at_the_crate_root_is_an_import_of_lib_rs() {
        let problems = check(TABLE, &tree_with("other.rs", "fn f() { crate::api() }\n"));
        assert_eq!(
            problems,
            ["src/other.rs:2 `crate::api`: `other` (floor 1) imports `lib.rs` (floor 2), above it"]
        );
    }

    #[test]
    fn test_only_code_may_import_anything() {
        let extra = "#[cfg(test)]\nmod tests {\n    use crate::top::t;\n}\n\
                     #[cfg(test)]\nfn helper() { crate::api() }\n";
        assert_eq!(
            check(TABLE, &tree_with("base.rs", extra)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_sibling_cycle_fails_with_an_example_per_edge() {
        let problems = check(
            TABLE,
            &tree_with("middle/mod.rs", "pub fn back() { crate::other::o(); }\n"),
        );
        assert_eq!(
            problems,
            [
                "import cycle in the crate root: middle -> other -> middle\n  \
              middle -> other: src/middle/mod.rs:5 `crate::other::o`\n  \
              other -> middle: src/other.rs:1 `crate::middle::m`"
            ]
        );
    }

    #[test]
    fn a_cycle_through_super_fails_between_the_children() {
        let problems = check(TABLE, &tree_with("middle/b.rs", "use super::a;\n"));
        assert_eq!(
            problems,
            ["import cycle in `middle`: a -> b -> a\n  \
              a -> b: src/middle/a.rs:1 `super::b::b`\n  \
              b -> a: src/middle/b.rs:2 `super::a`"]
        );
    }

    #[test]
    fn super_in_a_mod_rs_is_the_folder_modules_parent() {
        let mut tree = tree_with("middle/mod.rs", "fn g() {\n    super::api();\n}\n");
        tree.iter_mut()
            .filter(|(file, _)| file == "middle/a.rs")
            .for_each(|(_, text)| text.push_str("use super::super::top::t;\n"));
        let problems = upward(check(TABLE, &tree));
        assert_eq!(
            problems,
            [
                "src/middle/a.rs:2 `super::super::top::t`: `middle` (floor 1) imports `top` \
                 (floor 2), above it",
                "src/middle/mod.rs:6 `super::api`: `middle` (floor 1) imports `lib.rs` (floor 2), \
                 above it",
            ]
        );
    }

    #[test]
    fn a_module_importing_its_parent_or_child_is_no_cycle() {
        let problems = check(
            TABLE,
            &tree_with("middle/a.rs", "use super::m;\nuse crate::middle::b::b;\n"),
        );
        assert_eq!(problems, Vec::<String>::new());
    }

    #[test]
    fn a_module_missing_from_the_table_or_a_name_not_in_the_tree_fails() {
        let mut tree = tree_with("", "");
        tree.push(("extra/mod.rs".to_owned(), String::new()));
        let table = TABLE
            .replace("floor 2  lib.rs  top", "floor 2  lib.rs  top  base")
            .replace("floor 0  base", "floor 0  base  gone");
        assert_eq!(
            check(&table, &tree),
            [
                "`extra` (src/extra/mod.rs) is missing from the floors table in ARCHITECTURE.md",
                "`base` appears 2 times in the floors table (floors 2, 0)",
                "the floors table names `gone`, which is not a file or folder in src/",
            ]
        );
    }

    #[test]
    fn a_missing_floors_section_fails_clearly() {
        let problems = check("# Architecture\n\n## Code map\n", &tree_with("", ""));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("no `## Floors` section"),
            "{problems:?}"
        );
    }
}
