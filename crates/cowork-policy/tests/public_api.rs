//! The public API, as a snapshot: every item a user of the crate can name, one line each, so
//! that every change to the API shows in review.
//!
//! Read from the source with syn (no rustdoc JSON, no nightly): from `src/lib.rs`, the `pub`
//! items, the `pub mod` modules and the `pub use` re-exports, each followed to its definition,
//! in private modules too. For each item: a function's signature, a constant's type, a struct's
//! public fields (and a marker when it has others), an enum's variants, a trait's items; and for
//! a public type, its derives, its trait impls and the `pub` functions and constants of its
//! inherent impls, wherever in the crate they are written. Items behind a cargo feature say so;
//! `#[doc(hidden)]` and test-only items are left out. Items and impls that a `macro_rules!`
//! writes are not seen (the test does not expand macros).
//!
//! After an intended API change: `INSTA_UPDATE=always cargo test -p cowork-policy --test
//! public_api`, then read the diff of `tests/snapshots/public_api__public_api.snap`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

#[path = "common/source_tree.rs"]
mod source_tree;

use std::cell::RefCell;
use std::collections::BTreeSet;

use quote::ToTokens;
use source_tree::{Crate, SourceFile, cfgs, is_doc_hidden, is_test_only, tokens_to_string};

#[test]
fn public_api() {
    let files = source_tree::read_dir(&source_tree::library_src());
    let api = public_api_of("cowork_policy", &files).unwrap().join("\n");
    insta::assert_snapshot!("public_api", api);
}

/// The public API of the crate made of `files` (paths under `src/`, with their text), one line
/// per item, sorted by path.
fn public_api_of(crate_name: &str, files: &[SourceFile]) -> Result<Vec<String>, String> {
    let krate = Crate::parse(files)?;
    let root = krate
        .module(&[])
        .ok_or_else(|| "there is no src/lib.rs".to_owned())?;
    let api = Api {
        krate: &krate,
        resolving: RefCell::new(Vec::new()),
    };
    let mut walk = Walk {
        api: &api,
        seen: BTreeSet::new(),
        items: Vec::new(),
        lines: BTreeSet::new(),
    };
    walk.module(root, &[crate_name.to_owned()], &[]);
    for module in &krate.modules {
        for item in &module.items {
            if let syn::Item::Macro(mac) = item
                && mac.attrs.iter().any(|a| a.path().is_ident("macro_export"))
                && !is_doc_hidden(&mac.attrs)
                && let Some(name) = &mac.ident
            {
                walk.lines.insert((
                    vec![crate_name.to_owned(), name.to_string()],
                    0,
                    format!(
                        "{}macro {crate_name}::{name}!",
                        cfg_prefix(&cfgs(&mac.attrs))
                    ),
                ));
            }
        }
    }
    let impls = api.impls();
    let items = std::mem::take(&mut walk.items);
    for (path, def, cfgs) in &items {
        walk.describe(path, *def, cfgs, &impls);
    }
    Ok(walk.lines.into_iter().map(|(_, _, text)| text).collect())
}

/// An item: its module and its index among the module's items.
type DefId = (usize, usize);

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Module(usize),
    Item(DefId),
    /// Something outside the crate, by its path.
    External(String),
}

/// A leaf of a `use` tree: the name it binds (none for a glob) and the path it imports.
struct Leaf {
    binding: Option<String>,
    path: Vec<String>,
}

fn leaves(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Leaf>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => out.push(Leaf {
            binding: prefix.last().cloned(),
            path: prefix.clone(),
        }),
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(Leaf {
                binding: Some(n.ident.to_string()),
                path,
            });
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            if r.rename != "_" {
                out.push(Leaf {
                    binding: Some(r.rename.to_string()),
                    path,
                });
            }
        }
        syn::UseTree::Glob(_) => out.push(Leaf {
            binding: None,
            path: prefix.clone(),
        }),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                leaves(tree, prefix, out);
            }
        }
    }
}

fn use_leaves(item: &syn::ItemUse) -> Vec<Leaf> {
    let mut out = Vec::new();
    leaves(&item.tree, &mut Vec::new(), &mut out);
    out
}

/// The name an item defines, if it defines one a path can reach.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Mod(i) => &i.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::TraitAlias(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Name resolution over the crate's modules.
struct Api<'a> {
    krate: &'a Crate,
    /// The names being looked up, so that `use schema::schema` does not resolve through itself.
    resolving: RefCell<Vec<(usize, String)>>,
}

impl Api<'_> {
    fn item(&self, (m, i): DefId) -> &syn::Item {
        &self.krate.modules[m].items[i]
    }

    fn parent(&self, m: usize) -> Option<usize> {
        let path = &self.krate.modules[m].path;
        path.split_last()
            .and_then(|(_, parent)| self.krate.module(parent))
    }

    /// What `path`, written in module `m`, names.
    fn resolve(&self, m: usize, path: &[String]) -> Vec<Target> {
        let Some((first, rest)) = path.split_first() else {
            return vec![Target::Module(m)];
        };
        let mut current = match first.as_str() {
            "crate" | "$crate" => self
                .krate
                .module(&[])
                .map(Target::Module)
                .into_iter()
                .collect(),
            "self" => vec![Target::Module(m)],
            "super" => self.parent(m).map(Target::Module).into_iter().collect(),
            name => {
                let found = self.lookup(m, name);
                if found.is_empty() {
                    vec![Target::External(name.to_owned())]
                } else {
                    found
                }
            }
        };
        for (i, segment) in rest.iter().enumerate() {
            let mut next = Vec::new();
            for target in &current {
                match target {
                    Target::Module(module) if segment == "super" => {
                        next.extend(self.parent(*module).map(Target::Module));
                    }
                    Target::Module(module) => next.extend(self.lookup(*module, segment)),
                    Target::External(path) => {
                        next.push(Target::External(format!("{path}::{segment}")))
                    }
                    Target::Item(_) => {}
                }
            }
            if i + 1 < rest.len() {
                next.retain(|t| !matches!(t, Target::Item(_)));
            }
            next.sort();
            next.dedup();
            current = next;
        }
        current
    }

    /// What `name` means in module `m`: its items, its imports, then its glob imports.
    fn lookup(&self, m: usize, name: &str) -> Vec<Target> {
        let module = &self.krate.modules[m];
        let mut found = Vec::new();
        for (i, item) in module.items.iter().enumerate() {
            if item_name(item).as_deref() != Some(name) {
                continue;
            }
            if let syn::Item::Mod(_) = item {
                let mut child = module.path.clone();
                child.push(name.to_owned());
                found.extend(self.krate.module(&child).map(Target::Module));
            } else {
                found.push(Target::Item((m, i)));
            }
        }
        let key = (m, name.to_owned());
        if self.resolving.borrow().contains(&key) {
            return found;
        }
        self.resolving.borrow_mut().push(key);
        let imports: Vec<Leaf> = module
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Use(u) => Some(use_leaves(u)),
                _ => None,
            })
            .flatten()
            .collect();
        for leaf in imports
            .iter()
            .filter(|l| l.binding.as_deref() == Some(name))
        {
            found.extend(self.resolve(m, &leaf.path));
        }
        if found.is_empty() {
            for leaf in imports.iter().filter(|l| l.binding.is_none()) {
                for target in self.resolve(m, &leaf.path) {
                    if let Target::Module(glob) = target {
                        found.extend(self.lookup(glob, name));
                    }
                }
            }
        }
        self.resolving.borrow_mut().pop();
        found.sort();
        found.dedup();
        found
    }

    /// Every impl of the crate, with the types it is for.
    fn impls(&self) -> Vec<(DefId, &syn::ItemImpl)> {
        let mut impls = Vec::new();
        for (m, module) in self.krate.modules.iter().enumerate() {
            for item in &module.items {
                let syn::Item::Impl(imp) = item else {
                    continue;
                };
                if is_doc_hidden(&imp.attrs) {
                    continue;
                }
                let Some(path) = type_path(&imp.self_ty) else {
                    continue;
                };
                let segments: Vec<String> =
                    path.segments.iter().map(|s| s.ident.to_string()).collect();
                for target in self.resolve(m, &segments) {
                    if let Target::Item(def) = target {
                        impls.push((def, imp));
                    }
                }
            }
        }
        impls
    }
}

/// The path of the type an impl is for, through references and parentheses.
fn type_path(ty: &syn::Type) -> Option<&syn::Path> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => Some(&p.path),
        syn::Type::Reference(r) => type_path(&r.elem),
        syn::Type::Paren(p) => type_path(&p.elem),
        syn::Type::Group(g) => type_path(&g.elem),
        _ => None,
    }
}

/// The type an impl is for, with its path replaced by the public one.
fn self_type_text(ty: &syn::Type, public: &str) -> String {
    match ty {
        syn::Type::Reference(r) => {
            let lifetime = r
                .lifetime
                .as_ref()
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            let mutability = if r.mutability.is_some() { "mut " } else { "" };
            format!("&{lifetime}{mutability}{}", self_type_text(&r.elem, public))
        }
        syn::Type::Paren(p) => self_type_text(&p.elem, public),
        syn::Type::Group(g) => self_type_text(&g.elem, public),
        syn::Type::Path(p) => {
            let arguments = p
                .path
                .segments
                .last()
                .map(|s| tokens_to_string(&s.arguments.to_token_stream()))
                .unwrap_or_default();
            format!("{public}{arguments}")
        }
        other => tokens_to_string(&other.to_token_stream()),
    }
}

/// The walk from the crate root along what is public.
struct Walk<'a> {
    api: &'a Api<'a>,
    seen: BTreeSet<(usize, Vec<String>)>,
    /// The public items found: their public path, their definition, the cfgs they need.
    items: Vec<(Vec<String>, DefId, Vec<String>)>,
    /// The output, by (path, rank, text).
    lines: BTreeSet<(Vec<String>, u8, String)>,
}

impl Walk<'_> {
    /// Walk module `m`, public at `path`, behind `needs`.
    fn module(&mut self, m: usize, path: &[String], needs: &[String]) {
        if !self.seen.insert((m, path.to_vec())) {
            return;
        }
        let module = &self.api.krate.modules[m];
        for (i, item) in module.items.iter().enumerate() {
            let attrs = source_tree::item_attrs(item);
            if !is_public(item) || is_doc_hidden(attrs) || is_test_only(attrs) {
                continue;
            }
            let needs = with(needs, &cfgs(attrs));
            match item {
                syn::Item::Use(u) => {
                    for leaf in use_leaves(u) {
                        let targets = self.api.resolve(m, &leaf.path);
                        let Some(binding) = leaf.binding else {
                            for target in targets {
                                if let Target::Module(glob) = target {
                                    self.module(glob, path, &needs);
                                }
                            }
                            continue;
                        };
                        let public = child(path, &binding);
                        if targets.is_empty() {
                            self.lines.insert((
                                public.clone(),
                                0,
                                format!(
                                    "{}pub use {} // not found in the source: made by a macro?",
                                    cfg_prefix(&needs),
                                    public.join("::")
                                ),
                            ));
                        }
                        for target in targets {
                            self.target(target, &public, &needs);
                        }
                    }
                }
                syn::Item::Mod(md) => {
                    let mut child_path = module.path.clone();
                    child_path.push(md.ident.to_string());
                    if let Some(c) = self.api.krate.module(&child_path) {
                        self.target(
                            Target::Module(c),
                            &child(path, &md.ident.to_string()),
                            &needs,
                        );
                    }
                }
                _ => {
                    if let Some(name) = item_name(item) {
                        self.target(Target::Item((m, i)), &child(path, &name), &needs);
                    }
                }
            }
        }
    }

    fn target(&mut self, target: Target, public: &[String], needs: &[String]) {
        match target {
            Target::Module(m) => {
                self.lines.insert((
                    public.to_vec(),
                    0,
                    format!("{}pub mod {}", cfg_prefix(needs), public.join("::")),
                ));
                self.module(m, public, needs);
            }
            Target::Item(def) => {
                let needs = with(needs, &cfgs(source_tree::item_attrs(self.api.item(def))));
                self.items.push((public.to_vec(), def, needs));
            }
            Target::External(path) => {
                self.lines.insert((
                    public.to_vec(),
                    0,
                    format!(
                        "{}pub use {} (re-export of {path})",
                        cfg_prefix(needs),
                        public.join("::")
                    ),
                ));
            }
        }
    }

    fn line(&mut self, key: Vec<String>, rank: u8, needs: &[String], text: String) {
        self.lines
            .insert((key, rank, format!("{}{text}", cfg_prefix(needs))));
    }

    /// The lines of one public item, at its public path.
    fn describe(
        &mut self,
        path: &[String],
        def: DefId,
        needs: &[String],
        impls: &[(DefId, &syn::ItemImpl)],
    ) {
        let p = path.join("::");
        let item = self.api.item(def);
        let key = path.to_vec();
        match item {
            syn::Item::Fn(f) => self.line(key, 0, needs, format!("pub {}", signature(&f.sig, &p))),
            syn::Item::Const(c) => {
                self.line(key, 0, needs, format!("pub const {p}: {}", ty(&c.ty)))
            }
            syn::Item::Static(s) => {
                let mutability = if matches!(s.mutability, syn::StaticMutability::Mut(_)) {
                    "mut "
                } else {
                    ""
                };
                self.line(
                    key,
                    0,
                    needs,
                    format!("pub static {mutability}{p}: {}", ty(&s.ty)),
                );
            }
            syn::Item::Type(t) => self.line(
                key,
                0,
                needs,
                format!(
                    "pub type {p}{}{} = {}",
                    generics(&t.generics),
                    where_clause(&t.generics),
                    ty(&t.ty)
                ),
            ),
            syn::Item::Struct(s) => {
                let tuple = matches!(s.fields, syn::Fields::Unnamed(_));
                let fields: Vec<&syn::Field> = s.fields.iter().collect();
                self.fields(
                    "struct",
                    &p,
                    path,
                    &s.attrs,
                    &s.generics,
                    (&fields, tuple),
                    needs,
                );
                self.type_impls(path, def, &s.attrs, &s.generics, needs, impls);
            }
            syn::Item::Union(u) => {
                let fields: Vec<&syn::Field> = u.fields.named.iter().collect();
                self.fields(
                    "union",
                    &p,
                    path,
                    &u.attrs,
                    &u.generics,
                    (&fields, false),
                    needs,
                );
                self.type_impls(path, def, &u.attrs, &u.generics, needs, impls);
            }
            syn::Item::Enum(e) => {
                self.line(
                    key,
                    0,
                    needs,
                    format!(
                        "{}pub enum {p}{}{}",
                        non_exhaustive(&e.attrs),
                        generics(&e.generics),
                        where_clause(&e.generics)
                    ),
                );
                for variant in &e.variants {
                    if is_doc_hidden(&variant.attrs) || is_test_only(&variant.attrs) {
                        continue;
                    }
                    let fields = match &variant.fields {
                        syn::Fields::Named(named) => {
                            let fields: Vec<String> = named
                                .named
                                .iter()
                                .map(|f| format!("{}: {}", ident(f), ty(&f.ty)))
                                .collect();
                            format!(" {{ {} }}", fields.join(", "))
                        }
                        syn::Fields::Unnamed(unnamed) => {
                            let fields: Vec<String> =
                                unnamed.unnamed.iter().map(|f| ty(&f.ty)).collect();
                            format!("({})", fields.join(", "))
                        }
                        syn::Fields::Unit => String::new(),
                    };
                    let discriminant = variant
                        .discriminant
                        .as_ref()
                        .map(|(_, e)| format!(" = {}", tokens_to_string(&e.to_token_stream())))
                        .unwrap_or_default();
                    self.line(
                        child(path, &variant.ident.to_string()),
                        0,
                        &with(needs, &cfgs(&variant.attrs)),
                        format!(
                            "{}{p}::{}{fields}{discriminant}",
                            non_exhaustive(&variant.attrs),
                            variant.ident
                        ),
                    );
                }
                self.type_impls(path, def, &e.attrs, &e.generics, needs, impls);
            }
            syn::Item::Trait(t) => {
                let unsafety = if t.unsafety.is_some() { "unsafe " } else { "" };
                let supertraits = if t.supertraits.is_empty() {
                    String::new()
                } else {
                    format!(": {}", tokens_to_string(&t.supertraits.to_token_stream()))
                };
                self.line(
                    key,
                    0,
                    needs,
                    format!(
                        "pub {unsafety}trait {p}{}{supertraits}{}",
                        generics(&t.generics),
                        where_clause(&t.generics)
                    ),
                );
                for item in &t.items {
                    let (name, text, attrs) = match item {
                        syn::TraitItem::Fn(f) => (
                            f.sig.ident.to_string(),
                            signature(&f.sig, &format!("{p}::{}", f.sig.ident)),
                            &f.attrs,
                        ),
                        syn::TraitItem::Const(c) => (
                            c.ident.to_string(),
                            format!("const {p}::{}: {}", c.ident, ty(&c.ty)),
                            &c.attrs,
                        ),
                        syn::TraitItem::Type(a) => {
                            let bounds = if a.bounds.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", tokens_to_string(&a.bounds.to_token_stream()))
                            };
                            (
                                a.ident.to_string(),
                                format!("type {p}::{}{bounds}", a.ident),
                                &a.attrs,
                            )
                        }
                        _ => continue,
                    };
                    if is_doc_hidden(attrs) || is_test_only(attrs) {
                        continue;
                    }
                    self.line(child(path, &name), 0, &with(needs, &cfgs(attrs)), text);
                }
            }
            syn::Item::TraitAlias(t) => self.line(
                key,
                0,
                needs,
                format!(
                    "pub trait {p} = {}",
                    tokens_to_string(&t.bounds.to_token_stream())
                ),
            ),
            _ => {}
        }
    }

    /// A struct's or union's header and its public fields.
    #[allow(clippy::too_many_arguments, reason = "one call per kind of item")]
    fn fields(
        &mut self,
        kind: &str,
        p: &str,
        path: &[String],
        attrs: &[syn::Attribute],
        generics_of: &syn::Generics,
        (fields, tuple): (&[&syn::Field], bool),
        needs: &[String],
    ) {
        let hidden = fields
            .iter()
            .any(|f| !matches!(f.vis, syn::Visibility::Public(_)) || is_doc_hidden(&f.attrs));
        let marker = match (tuple, hidden) {
            (false, true) => " { /* private fields */ }",
            (true, true) => "(/* private fields */)",
            _ => "",
        };
        self.line(
            path.to_vec(),
            0,
            needs,
            format!(
                "{}pub {kind} {p}{}{}{marker}",
                non_exhaustive(attrs),
                generics(generics_of),
                where_clause(generics_of)
            ),
        );
        for (i, field) in fields.iter().enumerate() {
            if !matches!(field.vis, syn::Visibility::Public(_))
                || is_doc_hidden(&field.attrs)
                || is_test_only(&field.attrs)
            {
                continue;
            }
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string);
            self.line(
                child(path, &name),
                0,
                &with(needs, &cfgs(&field.attrs)),
                format!("pub {p}::{name}: {}", ty(&field.ty)),
            );
        }
    }

    /// A public type's derives, trait impls and inherent `pub` functions and constants.
    fn type_impls(
        &mut self,
        path: &[String],
        def: DefId,
        attrs: &[syn::Attribute],
        generics_of: &syn::Generics,
        needs: &[String],
        impls: &[(DefId, &syn::ItemImpl)],
    ) {
        let p = path.join("::");
        let arguments = generic_arguments(generics_of);
        let impl_generics = generics(generics_of);
        for derived in derives(attrs) {
            self.line(
                path.to_vec(),
                1,
                needs,
                format!("impl{impl_generics} {derived} for {p}{arguments}"),
            );
            if derived == "Error" {
                // thiserror's derive also writes Display from `#[error]` and From for `#[from]`.
                let item = self.api.item(def);
                if has_attr(attrs, "error") || variant_attrs(item).any(|a| has_attr(a, "error")) {
                    self.line(
                        path.to_vec(),
                        1,
                        needs,
                        format!("impl{impl_generics} Display for {p}{arguments}"),
                    );
                }
                for field in item_fields(item) {
                    if has_attr(&field.attrs, "from") {
                        self.line(
                            path.to_vec(),
                            1,
                            needs,
                            format!(
                                "impl{impl_generics} From<{}> for {p}{arguments}",
                                ty(&field.ty)
                            ),
                        );
                    }
                }
            }
        }
        for (target, imp) in impls {
            if *target != def {
                continue;
            }
            let needs = with(needs, &cfgs(&imp.attrs));
            if is_test_only(&imp.attrs) {
                continue;
            }
            match &imp.trait_ {
                Some((negative, trait_path, _)) => {
                    let unsafety = if imp.unsafety.is_some() {
                        "unsafe "
                    } else {
                        ""
                    };
                    let bang = if negative.is_some() { "!" } else { "" };
                    let trait_name = trait_path
                        .segments
                        .last()
                        .map(|s| tokens_to_string(&s.to_token_stream()))
                        .unwrap_or_default();
                    self.line(
                        path.to_vec(),
                        1,
                        &needs,
                        format!(
                            "{unsafety}impl{} {bang}{trait_name} for {}{}",
                            generics(&imp.generics),
                            self_type_text(&imp.self_ty, &p),
                            where_clause(&imp.generics)
                        ),
                    );
                }
                None => {
                    for item in &imp.items {
                        let (name, text, attrs, vis) = match item {
                            syn::ImplItem::Fn(f) => (
                                f.sig.ident.to_string(),
                                signature(&f.sig, &format!("{p}::{}", f.sig.ident)),
                                &f.attrs,
                                &f.vis,
                            ),
                            syn::ImplItem::Const(c) => (
                                c.ident.to_string(),
                                format!("const {p}::{}: {}", c.ident, ty(&c.ty)),
                                &c.attrs,
                                &c.vis,
                            ),
                            _ => continue,
                        };
                        if !matches!(vis, syn::Visibility::Public(_))
                            || is_doc_hidden(attrs)
                            || is_test_only(attrs)
                        {
                            continue;
                        }
                        self.line(
                            child(path, &name),
                            0,
                            &with(&needs, &cfgs(attrs)),
                            format!("pub {text}"),
                        );
                    }
                }
            }
        }
    }
}

fn is_public(item: &syn::Item) -> bool {
    let vis = match item {
        syn::Item::Const(i) => &i.vis,
        syn::Item::Enum(i) => &i.vis,
        syn::Item::Fn(i) => &i.vis,
        syn::Item::Mod(i) => &i.vis,
        syn::Item::Static(i) => &i.vis,
        syn::Item::Struct(i) => &i.vis,
        syn::Item::Trait(i) => &i.vis,
        syn::Item::TraitAlias(i) => &i.vis,
        syn::Item::Type(i) => &i.vis,
        syn::Item::Union(i) => &i.vis,
        syn::Item::Use(i) => &i.vis,
        _ => return false,
    };
    matches!(vis, syn::Visibility::Public(_))
}

fn child(path: &[String], name: &str) -> Vec<String> {
    let mut path = path.to_vec();
    path.push(name.to_owned());
    path
}

/// `needs` with `more`, each once.
fn with(needs: &[String], more: &[String]) -> Vec<String> {
    let mut all = needs.to_vec();
    for cfg in more {
        if !all.contains(cfg) {
            all.push(cfg.clone());
        }
    }
    all
}

fn cfg_prefix(needs: &[String]) -> String {
    needs.iter().map(|cfg| format!("#[cfg({cfg})] ")).collect()
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    if has_attr(attrs, "non_exhaustive") {
        "#[non_exhaustive] "
    } else {
        ""
    }
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn ty(ty: &syn::Type) -> String {
    tokens_to_string(&ty.to_token_stream())
}

fn ident(field: &syn::Field) -> String {
    field
        .ident
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn generics(generics: &syn::Generics) -> String {
    tokens_to_string(&generics.to_token_stream())
}

fn where_clause(generics: &syn::Generics) -> String {
    match &generics.where_clause {
        Some(clause) if !clause.predicates.is_empty() => {
            let predicates = tokens_to_string(&clause.predicates.to_token_stream());
            format!(" where {}", predicates.trim_end_matches(','))
        }
        _ => String::new(),
    }
}

/// A type's generic parameters as arguments: `<'a, T>`.
fn generic_arguments(generics: &syn::Generics) -> String {
    let names: Vec<String> = generics
        .params
        .iter()
        .map(|param| match param {
            syn::GenericParam::Lifetime(l) => l.lifetime.to_string(),
            syn::GenericParam::Type(t) => t.ident.to_string(),
            syn::GenericParam::Const(c) => c.ident.to_string(),
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("<{}>", names.join(", "))
    }
}

/// A function's signature with `name` in place of its name.
fn signature(sig: &syn::Signature, name: &str) -> String {
    let mut text = String::new();
    if sig.constness.is_some() {
        text.push_str("const ");
    }
    if sig.asyncness.is_some() {
        text.push_str("async ");
    }
    if sig.unsafety.is_some() {
        text.push_str("unsafe ");
    }
    if let Some(abi) = &sig.abi {
        text.push_str(&tokens_to_string(&abi.to_token_stream()));
        text.push(' ');
    }
    let output = tokens_to_string(&sig.output.to_token_stream());
    text.push_str(&format!(
        "fn {name}{}({}){}{output}{}",
        generics(&sig.generics),
        inputs(sig),
        if output.is_empty() { "" } else { " " },
        where_clause(&sig.generics)
    ));
    text
}

/// A function's parameters, without the `mut` of a binding (`mut self` is `self` to a caller).
fn inputs(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Receiver(r) if r.colon_token.is_some() => format!("self: {}", ty(&r.ty)),
            syn::FnArg::Receiver(r) => match &r.reference {
                Some((_, lifetime)) => {
                    let lifetime = lifetime
                        .as_ref()
                        .map(|l| format!("{l} "))
                        .unwrap_or_default();
                    let mutability = if r.mutability.is_some() { "mut " } else { "" };
                    format!("&{lifetime}{mutability}self")
                }
                None => "self".to_owned(),
            },
            syn::FnArg::Typed(t) => {
                let pattern = match &*t.pat {
                    syn::Pat::Ident(i) if i.subpat.is_none() => i.ident.to_string(),
                    other => tokens_to_string(&other.to_token_stream()),
                };
                format!("{pattern}: {}", ty(&t.ty))
            }
        })
        .collect();
    inputs.join(", ")
}

/// The traits of a type's `#[derive(...)]` attributes, by their last segment.
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(list) = attr.meta.require_list() else {
            continue;
        };
        let text = tokens_to_string(&list.tokens);
        out.extend(
            text.split(',')
                .map(|path| path.trim().rsplit("::").next().unwrap_or("").to_owned())
                .filter(|name| !name.is_empty()),
        );
    }
    out
}

fn variant_attrs(item: &syn::Item) -> impl Iterator<Item = &[syn::Attribute]> {
    let variants: Vec<&syn::Variant> = match item {
        syn::Item::Enum(e) => e.variants.iter().collect(),
        _ => Vec::new(),
    };
    variants.into_iter().map(|v| v.attrs.as_slice())
}

/// The fields of a struct, or of every variant of an enum.
fn item_fields(item: &syn::Item) -> Vec<&syn::Field> {
    match item {
        syn::Item::Struct(s) => s.fields.iter().collect(),
        syn::Item::Enum(e) => e.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        _ => Vec::new(),
    }
}

/// The walker over small crates written here, so that it provably sees what it should and
/// nothing more.
mod walker {
    use super::public_api_of;

    fn api(files: &[(&str, &str)]) -> Vec<String> {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect();
        public_api_of("krate", &files).unwrap()
    }

    #[test]
    fn a_re_export_from_a_private_module_is_public_at_its_new_path_only() {
        let lines = api(&[
            ("lib.rs", "mod inner;\npub use inner::Thing;\n"),
            (
                "inner.rs",
                "pub struct Thing;\npub struct NotExported;\npub fn helper() {}\n",
            ),
        ]);
        assert_eq!(lines, ["pub struct krate::Thing"]);
    }

    #[test]
    fn a_renamed_re_export_in_a_group_takes_its_new_name() {
        let lines = api(&[
            (
                "lib.rs",
                "mod inner;\npub use inner::{deep::{Thing as Renamed}, f};\n",
            ),
            (
                "inner/mod.rs",
                "pub mod deep;\npub fn f(x: u8) -> u8 { x }\n",
            ),
            ("inner/deep.rs", "pub struct Thing;\n"),
        ]);
        assert_eq!(
            lines,
            ["pub struct krate::Renamed", "pub fn krate::f(x: u8) -> u8"]
        );
    }

    #[test]
    fn a_public_field_is_listed_and_a_private_one_only_marked() {
        let lines = api(&[(
            "lib.rs",
            "pub struct Mixed {\n    pub shown: Vec<String>,\n    hidden: u8,\n}\n\
             #[non_exhaustive]\npub struct Open {\n    pub a: &'static str,\n}\n\
             pub(crate) struct Internal {\n    pub x: u8,\n}\n",
        )]);
        assert_eq!(
            lines,
            [
                "pub struct krate::Mixed { /* private fields */ }",
                "pub krate::Mixed::shown: Vec<String>",
                "#[non_exhaustive] pub struct krate::Open",
                "pub krate::Open::a: &'static str",
            ]
        );
    }

    #[test]
    fn impls_in_other_files_go_with_the_type_they_are_for_not_with_its_name() {
        let lines = api(&[
            (
                "lib.rs",
                "mod config;\nmod profile;\nmod methods;\npub use config::Overrides;\n",
            ),
            (
                "config.rs",
                "#[derive(Debug, Clone)]\npub struct Overrides;\n",
            ),
            (
                "profile.rs",
                "pub struct Overrides;\nimpl Overrides {\n    pub fn wrong(&self) {}\n}\n\
                 impl Default for Overrides {\n    fn default() -> Self { Overrides }\n}\n",
            ),
            (
                "methods.rs",
                "use crate::config::Overrides;\nimpl Overrides {\n    \
                 pub fn new(mut self) -> Self { self }\n    fn private(&self) {}\n    \
                 #[doc(hidden)]\n    pub fn hidden(&self) {}\n}\n\
                 impl std::fmt::Display for Overrides {\n    \
                 fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) }\n}\n",
            ),
        ]);
        assert_eq!(
            lines,
            [
                "pub struct krate::Overrides",
                "impl Clone for krate::Overrides",
                "impl Debug for krate::Overrides",
                "impl Display for krate::Overrides",
                "pub fn krate::Overrides::new(self) -> Self",
            ]
        );
    }

    #[test]
    fn a_feature_gated_item_says_so_and_hidden_crate_or_test_items_are_left_out() {
        let lines = api(&[
            (
                "lib.rs",
                "#[cfg(feature = \"extra\")]\npub fn gated(n: usize) -> Option<&'static str> { None }\n\
                 #[doc(hidden)]\npub fn hidden() {}\npub(crate) fn internal() {}\n\
                 #[cfg(test)]\npub fn test_only() {}\n#[cfg(feature = \"extra\")]\npub mod more;\n",
            ),
            ("more.rs", "pub const LIMIT: u64 = 3;\n"),
        ]);
        assert_eq!(
            lines,
            [
                "#[cfg(feature = \"extra\")] pub fn krate::gated(n: usize) -> Option<&'static str>",
                "#[cfg(feature = \"extra\")] pub mod krate::more",
                "#[cfg(feature = \"extra\")] pub const krate::more::LIMIT: u64",
            ]
        );
    }

    #[test]
    fn a_public_module_lists_its_items_and_a_private_one_does_not() {
        let lines = api(&[(
            "lib.rs",
            "pub mod render {\n    pub fn json() -> String { String::new() }\n    \
             mod detail {\n        pub fn inner() {}\n    }\n    \
             pub use self::detail::inner as exposed;\n}\n\
             mod private {\n    pub fn nope() {}\n}\n",
        )]);
        assert_eq!(
            lines,
            [
                "pub mod krate::render",
                "pub fn krate::render::exposed()",
                "pub fn krate::render::json() -> String",
            ]
        );
    }

    #[test]
    fn enums_traits_signatures_and_globs_read_like_rust() {
        let lines = api(&[
            ("lib.rs", "mod inner;\npub use inner::*;\n"),
            (
                "inner.rs",
                r#"
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    #[error("io")]
    Io { path: String, #[source] source: std::io::Error },
    #[error("parse")]
    Parse(#[from] std::num::ParseIntError),
    #[non_exhaustive]
    #[error("other")]
    Other,
}
pub trait Source {
    type Item: Clone;
    fn items<'a>(&'a self) -> impl Iterator<Item = &'a str> + 'a;
}
pub fn load<N, T>(sources: impl IntoIterator<Item = (N, T)>, mut limit: usize) -> Result<Vec<String>, Failure>
where
    N: Into<String>,
    T: AsRef<str>,
{
    Ok(Vec::new())
}
pub struct Wrapper<'t>(pub &'t [u8], u8);
impl<'t> From<&'t [u8]> for Wrapper<'t> {
    fn from(bytes: &'t [u8]) -> Self { Wrapper(bytes, 0) }
}
fn private() {}
"#,
            ),
        ]);
        assert_eq!(
            lines,
            [
                "#[non_exhaustive] pub enum krate::Failure",
                "impl Debug for krate::Failure",
                "impl Display for krate::Failure",
                "impl Error for krate::Failure",
                "impl From<std::num::ParseIntError> for krate::Failure",
                "krate::Failure::Io { path: String, source: std::io::Error }",
                "#[non_exhaustive] krate::Failure::Other",
                "krate::Failure::Parse(std::num::ParseIntError)",
                "pub trait krate::Source",
                "type krate::Source::Item: Clone",
                "fn krate::Source::items<'a>(&'a self) -> impl Iterator<Item = &'a str> + 'a",
                "pub struct krate::Wrapper<'t>(/* private fields */)",
                "impl<'t> From<&'t [u8]> for krate::Wrapper<'t>",
                "pub krate::Wrapper::0: &'t [u8]",
                "pub fn krate::load<N, T>(sources: impl IntoIterator<Item = (N, T)>, limit: usize) \
                 -> Result<Vec<String>, Failure> where N: Into<String>, T: AsRef<str>",
            ]
        );
    }
}
