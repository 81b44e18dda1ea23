//! The library's own source, parsed with syn, for the meta-tests that read it
//! (`tests/architecture.rs`, `tests/public_api.rs`): its files, the module each one is, and the
//! items of every module with the test-only ones left out.
//!
//! Included by those two tests with `#[path]` rather than through `common/mod.rs`, so that the
//! other test binaries do not compile it.
#![allow(dead_code)]

use std::path::Path;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// One source file: its path relative to `src/` (with `/`), and its text.
pub type SourceFile = (String, String);

/// Every `.rs` file under `dir`, as paths relative to it with `/`, sorted.
pub fn read_dir(dir: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(dir).unwrap();
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The library's `src/` folder.
pub fn library_src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The module a file is, from its path under `src/`: `lib.rs` is the crate root (`[]`),
/// `x.rs` and `x/mod.rs` are both `x`, `x/y.rs` is `x::y`.
pub fn module_of_file(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.split('/').map(str::to_owned).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.strip_suffix(".rs").unwrap_or(&last);
    if parts.is_empty() && (stem == "lib" || stem == "main") {
        return Vec::new();
    }
    if stem != "mod" {
        parts.push(stem.to_owned());
    }
    parts
}

/// One module of the crate: a file, or a `mod x { ... }` inside one.
pub struct Module {
    /// Its path from the crate root (`[]` for the root).
    pub path: Vec<String>,
    /// The file it is written in, relative to `src/`.
    pub file: String,
    /// Its items, without the test-only ones. An inline module is also its own [`Module`]; its
    /// `mod` item stays here, emptied, for the visibility and attributes it carries.
    pub items: Vec<syn::Item>,
}

/// The crate's modules, parsed.
pub struct Crate {
    /// Every module, files first in file order, then the inline modules of each.
    pub modules: Vec<Module>,
}

impl Crate {
    /// Parse every file; a file that does not parse is an error naming it.
    pub fn parse(files: &[SourceFile]) -> Result<Crate, String> {
        let mut modules = Vec::new();
        for (file, text) in files {
            let parsed = syn::parse_file(text).map_err(|e| {
                let at = e.span().start();
                format!("{file}:{}:{}: {e}", at.line, at.column + 1)
            })?;
            let path = module_of_file(file);
            push_module(&mut modules, path, file, parsed.items);
        }
        Ok(Crate { modules })
    }

    /// The module at this path.
    pub fn module(&self, path: &[String]) -> Option<usize> {
        self.modules.iter().position(|m| m.path == path)
    }
}

fn push_module(modules: &mut Vec<Module>, path: Vec<String>, file: &str, items: Vec<syn::Item>) {
    let mut items: Vec<syn::Item> = items
        .into_iter()
        .filter(|item| !is_test_only(item_attrs(item)))
        .collect();
    // An inline module's items move to its own module; its `mod` item stays, emptied.
    let mut inline = Vec::new();
    for item in &mut items {
        if let syn::Item::Mod(m) = item
            && let Some((_, content)) = &mut m.content
        {
            let mut child = path.clone();
            child.push(m.ident.to_string());
            inline.push((child, std::mem::take(content)));
        }
    }
    modules.push(Module {
        path,
        file: file.to_owned(),
        items,
    });
    for (child, content) in inline {
        push_module(modules, child, file, content);
    }
}

/// The attributes of an item.
pub fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::ExternCrate(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::ForeignMod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::TraitAlias(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether these attributes make an item exist only in tests: `#[cfg(test)]`,
/// `#[cfg(doctest)]`, or an `all(...)` that requires one of them.
pub fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| requires_test(&list.tokens))
    })
}

fn requires_test(predicate: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = predicate.clone().into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(i)] => i == "test" || i == "doctest",
        [TokenTree::Ident(i), TokenTree::Group(g)] if i == "all" => g
            .stream()
            .into_iter()
            .collect::<Vec<_>>()
            .split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
            .any(|part| requires_test(&part.iter().cloned().collect())),
        _ => false,
    }
}

/// The `cfg` predicates of these attributes other than the test-only ones, as written
/// (`feature = "synth"`).
pub fn cfgs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .filter_map(|attr| attr.meta.require_list().ok())
        .filter(|list| !requires_test(&list.tokens))
        .map(|list| tokens_to_string(&list.tokens))
        .collect()
}

/// Whether these attributes hold `#[doc(hidden)]`.
pub fn is_doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr.meta.require_list().is_ok_and(|list| {
                list.tokens
                    .clone()
                    .into_iter()
                    .any(|t| matches!(t, TokenTree::Ident(i) if i == "hidden"))
            })
    })
}

/// Tokens printed as Rust is written: `&'static str`, `Vec<String>`,
/// `impl Iterator<Item = &str>`, `fn(&str) -> bool`, `where T: Clone`. A path inside the crate
/// (`crate::model::Span`, `super::Location`, `self::X`) is shortened to its last segment, so that
/// a signature does not change when its imports do.
pub fn tokens_to_string(tokens: &TokenStream) -> String {
    let mut atoms = Vec::new();
    flatten(tokens.clone(), &mut atoms);
    let mut out = String::new();
    let mut prev: Option<&Atom> = None;
    for atom in &atoms {
        if let Some(prev) = prev
            && space_between(prev, atom)
        {
            out.push(' ');
        }
        out.push_str(atom.text());
        prev = Some(atom);
    }
    out
}

enum Atom {
    /// An identifier or a literal.
    Word(String),
    /// A lifetime, `'a`.
    Lifetime(String),
    /// An operator, its joint characters merged (`::`, `->`, `=>`, `..`).
    Op(String),
    /// A delimited group, already printed, and its opening character.
    Group(char, String),
}

impl Atom {
    fn text(&self) -> &str {
        match self {
            Atom::Word(s) | Atom::Lifetime(s) | Atom::Op(s) | Atom::Group(_, s) => s,
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self, Atom::Op(s) if s == op)
    }
}

fn flatten(tokens: TokenStream, atoms: &mut Vec<Atom>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                let is_crate_path = matches!(word.as_str(), "crate" | "super" | "self")
                    && is_path_sep(&tokens, i + 1);
                if is_crate_path {
                    // Skip `crate :: a :: b ::` up to the last segment.
                    let mut j = i;
                    while matches!(tokens.get(j), Some(TokenTree::Ident(_)))
                        && is_path_sep(&tokens, j + 1)
                        && matches!(tokens.get(j + 3), Some(TokenTree::Ident(_)))
                    {
                        j += 3;
                    }
                    i = j;
                    continue;
                }
                atoms.push(Atom::Word(word));
            }
            TokenTree::Literal(lit) => atoms.push(Atom::Word(lit.to_string())),
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                if c == '$'
                    && matches!(tokens.get(i + 1), Some(TokenTree::Ident(id)) if id == "crate")
                    && is_path_sep(&tokens, i + 2)
                {
                    i += 1;
                    continue;
                }
                if c == '\''
                    && let Some(TokenTree::Ident(name)) = tokens.get(i + 1)
                {
                    atoms.push(Atom::Lifetime(format!("'{name}")));
                    i += 2;
                    continue;
                }
                let mut op = c.to_string();
                let mut j = i;
                while let TokenTree::Punct(p) = &tokens[j]
                    && p.spacing() == Spacing::Joint
                    && let Some(TokenTree::Punct(next)) = tokens.get(j + 1)
                {
                    let joined = format!("{op}{}", next.as_char());
                    if !matches!(joined.as_str(), "::" | "->" | "=>" | ".." | "..=" | "...") {
                        break;
                    }
                    op = joined;
                    j += 1;
                }
                i = j;
                atoms.push(Atom::Op(op));
            }
            TokenTree::Group(group) => {
                let inner = tokens_to_string(&group.stream());
                let (open, text) = match group.delimiter() {
                    Delimiter::Parenthesis => ('(', format!("({inner})")),
                    Delimiter::Bracket => ('[', format!("[{inner}]")),
                    Delimiter::Brace if inner.is_empty() => ('{', "{}".to_owned()),
                    Delimiter::Brace => ('{', format!("{{ {inner} }}")),
                    Delimiter::None => (' ', inner),
                };
                atoms.push(Atom::Group(open, text));
            }
        }
        i += 1;
    }
}

fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

fn space_between(prev: &Atom, next: &Atom) -> bool {
    // Operators nothing follows closely: a path separator, a reference, a pointer, a lifetime's
    // quote, an opening angle bracket, `?Sized`, `#`, `$`.
    if let Atom::Op(p) = prev
        && matches!(
            p.as_str(),
            "::" | "&" | "*" | "'" | "<" | "?" | "#" | "$" | "!" | ".."
        )
    {
        return false;
    }
    match next {
        Atom::Op(n) => match n.as_str() {
            "," | ";" | ":" | "::" | "." | ">" => false,
            "<" => !matches!(prev, Atom::Word(_) | Atom::Group(..)) && !prev.is_op(">"),
            "!" => !matches!(prev, Atom::Word(_)),
            _ => true,
        },
        // A call or a function type (`fn(u8)`, `Fn(&str)`) but a space after `mut` or `dyn`.
        Atom::Group('(', _) => match prev {
            Atom::Word(w) => matches!(w.as_str(), "mut" | "dyn" | "impl" | "const"),
            _ => !prev.is_op(">"),
        },
        Atom::Group(..) | Atom::Word(_) | Atom::Lifetime(_) => true,
    }
}
