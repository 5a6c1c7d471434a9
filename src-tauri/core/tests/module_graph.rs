//! No import circles: reads a crate's `src/` files, draws an edge from a file to each file
//! its `crate::`, `super::` and `self::` paths name, and fails naming the circle it finds.
//!
//! A path is followed to the file that defines the item: the deepest module file it names,
//! then through that file's `pub use` re-exports (so `crate::CoreError` is `error.rs`, not
//! `lib.rs`). A file naming its own children (a `mod.rs` re-exporting or calling them) draws
//! no edge: a parent and its children are one module seen from outside, and a child using
//! its parent's items is ordinary Rust. A loop between siblings, or through any other files,
//! is a circle. `#[cfg(test)]` modules are left out: they are not part of the crate's shape.
//!
//! Another crate is checked by one more `#[test]` calling `assert_no_cycles` with its `src/`:
//! the app crate is `Path::new(env!("CARGO_MANIFEST_DIR")).join("../src")`, a crate beside
//! the core `join("../NAME/src")`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn core_crate_has_no_import_circles() {
    assert_no_cycles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
}

#[test]
fn app_crate_has_no_import_circles() {
    assert_no_cycles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../src"));
}

#[test]
fn documents_crate_has_no_import_circles() {
    assert_no_cycles(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../documents/src"));
}

#[test]
fn a_circle_between_siblings_is_found_and_parent_child_use_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |name: &str, text: &str| {
        let path = src.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub mod c;\npub use a::Alpha;\n",
    );
    write(
        "a.rs",
        "mod inner;\npub use inner::Alpha;\nuse crate::b::Beta;\n",
    );
    write("a/inner.rs", "use super::helper;\npub struct Alpha;\n");
    write(
        "b.rs",
        "pub struct Beta;\n#[cfg(test)]\nmod tests {\n    use crate::c::Gamma;\n}\n",
    );
    write("c.rs", "pub struct Gamma;\npub struct G(crate::Alpha);\n");
    assert!(cycles(src).is_empty(), "{:?}", cycles(src));

    write("b.rs", "use crate::{c::Gamma, a};\npub struct Beta;\n");
    let found = cycles(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].files, ["a.rs", "a/inner.rs", "b.rs", "c.rs"]);
    assert_eq!(found[0].walk, ["a.rs", "b.rs"]);
}

/// Fails with every circle found under `src`, each as a chain of files.
pub fn assert_no_cycles(src: &Path) {
    let found = cycles(src);
    assert!(
        found.is_empty(),
        "import circles in {}:\n{}",
        src.display(),
        found
            .iter()
            .map(|c| format!(
                "  {} → {}  (files in this circle: {})",
                c.walk.join(" → "),
                c.walk[0],
                c.files.join(", ")
            ))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// One source file: its module path from the crate root and what it names.
struct SourceFile {
    module: Vec<String>,
    /// Absolute module paths this file names (`crate::a::B` as `["a", "B"]`).
    paths: Vec<Vec<String>>,
    /// Items this file re-exports with `pub use`: name → absolute path.
    reexports: BTreeMap<String, Vec<String>>,
}

/// Files that reach each other through their imports.
#[derive(Debug)]
pub struct Circle {
    /// Every file of the circle, sorted.
    pub files: Vec<String>,
    /// One walk around it, from the first file back to it (the first file not repeated).
    pub walk: Vec<String>,
}

/// Every circle: each strongly connected part of the import graph with more than one file.
pub fn cycles(src: &Path) -> Vec<Circle> {
    let files = read_crate(src);
    let by_module: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|(name, f)| (f.module.clone(), name.clone()))
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, file) in &files {
        let out = edges.entry(name.clone()).or_default();
        for path in &file.paths {
            let Some(target) = resolve(path, &files, &by_module, 0) else {
                continue;
            };
            let target_module = &files[&target].module;
            if target_module.starts_with(&file.module) {
                continue;
            }
            out.insert(target);
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|part| part.len() > 1)
        .map(|part| loop_through(&part, &edges))
        .collect()
}

/// The file defining what `path` names: the deepest module file on the path, then that
/// file's re-export of the next name, if it has one.
fn resolve(
    path: &[String],
    files: &BTreeMap<String, SourceFile>,
    by_module: &BTreeMap<Vec<String>, String>,
    depth: usize,
) -> Option<String> {
    let (len, file) = (0..=path.len())
        .rev()
        .find_map(|n| by_module.get(&path[..n]).map(|f| (n, f.clone())))?;
    if depth < 8 {
        if let Some(next) = path.get(len) {
            if let Some(target) = files[&file].reexports.get(next) {
                let mut full = target.clone();
                full.extend_from_slice(&path[len + 1..]);
                if let Some(found) = resolve(&full, files, by_module, depth + 1) {
                    return Some(found);
                }
            }
        }
    }
    Some(file)
}

fn read_crate(src: &Path) -> BTreeMap<String, SourceFile> {
    // Beside a `lib.rs`, `main.rs` is the root of another crate (the binary), which reaches
    // the library by its name, not by `crate::`.
    let binary_beside_library = src.join("lib.rs").exists();
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = relative(src, &path);
                if binary_beside_library && name == "main.rs" {
                    continue;
                }
                let module = module_of(&name);
                let text = std::fs::read_to_string(&path).unwrap();
                let (paths, reexports) = named_paths(&strip(&text), &module);
                out.insert(
                    name,
                    SourceFile {
                        module,
                        paths,
                        reexports,
                    },
                );
            }
        }
    }
    out
}

fn relative(src: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(src).unwrap().to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `lib.rs`/`main.rs` → root, `a/mod.rs` and `a.rs` → `a`, `a/b.rs` → `a::b`.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.split('/').map(str::to_string).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !(parts.is_empty() && (stem == "lib" || stem == "main")) && stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code without comments and literals, except a string that is itself a `crate::`
/// path (`#[serde(with = "crate::vntime::serde_ms")]`), which is kept as code.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && !ident_before(&chars, i) {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            let mut j = i + 1;
            let mut content = String::new();
            while j < chars.len() && chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                }
                if let Some(&ch) = chars.get(j) {
                    content.push(ch);
                }
                j += 1;
            }
            if content.starts_with("crate::")
                && content
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == ':')
            {
                out.push_str(&format!(" {content} "));
            } else {
                out.push_str("\"\"");
            }
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('a', '\n', '\u{1F600}'); a lifetime ('a) has no closing quote.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                out.push_str("' '");
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("' '");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Punct(char),
    PathSep,
}

fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token::PathSep);
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

fn is_ident(t: Option<&Token>, word: &str) -> bool {
    matches!(t, Some(Token::Ident(w)) if w == word)
}

/// The absolute paths a file names, and what it re-exports.
#[allow(clippy::type_complexity)]
fn named_paths(
    code: &str,
    file_module: &[String],
) -> (Vec<Vec<String>>, BTreeMap<String, Vec<String>>) {
    let toks = tokens(code);
    let mut paths = Vec::new();
    let mut reexports = BTreeMap::new();
    // Inline modules open at this point: (name, brace depth inside them).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut cfg_test = false;
    let mut i = 0;
    while i < toks.len() {
        let here: Vec<String> = file_module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(n, _)| n.clone()))
            .collect();
        match &toks[i] {
            Token::Punct('#') if cfg_test_at(&toks, i) => {
                cfg_test = true;
                i += 1;
            }
            Token::Punct('{') => {
                depth += 1;
                i += 1;
            }
            Token::Punct('}') => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Token::Ident(w) if w == "mod" => {
                let name = match toks.get(i + 1) {
                    Some(Token::Ident(n)) => n.clone(),
                    _ => String::new(),
                };
                if toks.get(i + 2) == Some(&Token::Punct('{')) {
                    if std::mem::take(&mut cfg_test) {
                        i = skip_block(&toks, i + 2);
                        continue;
                    }
                    depth += 1;
                    inline.push((name, depth));
                    i += 3;
                } else {
                    cfg_test = false;
                    i += 2;
                }
            }
            Token::Ident(w) if w == "use" => {
                let public = i > 0 && is_ident(toks.get(i - 1), "pub")
                    || i > 3 && is_ident(toks.get(i - 4), "pub");
                let end = (i..toks.len())
                    .find(|&j| toks[j] == Token::Punct(';'))
                    .unwrap_or(toks.len());
                let mut leaves = Vec::new();
                use_tree(&toks[i + 1..end], Vec::new(), &mut leaves);
                let skip = std::mem::take(&mut cfg_test);
                for (path, alias) in leaves {
                    let Some(abs) = absolute(&path, &here) else {
                        continue;
                    };
                    if public && alias != "*" && alias != "self" {
                        reexports.insert(alias, abs.clone());
                    }
                    if !skip {
                        paths.push(abs);
                    }
                }
                i = end + 1;
            }
            Token::Ident(w) if matches!(w.as_str(), "crate" | "super" | "self") => {
                let mut j = i;
                let mut path = Vec::new();
                while let Some(Token::Ident(seg)) = toks.get(j) {
                    path.push(seg.clone());
                    if toks.get(j + 1) == Some(&Token::PathSep) {
                        j += 2;
                    } else {
                        j += 1;
                        break;
                    }
                }
                if path.len() > 1 {
                    if let Some(abs) = absolute(&path, &here) {
                        paths.push(abs);
                    }
                }
                cfg_test = false;
                i = j.max(i + 1);
            }
            Token::Ident(w) if matches!(w.as_str(), "fn" | "struct" | "enum" | "impl") => {
                cfg_test = false;
                i += 1;
            }
            _ => i += 1,
        }
    }
    (paths, reexports)
}

/// `#[cfg(test)]` starting at token `i`.
fn cfg_test_at(toks: &[Token], i: usize) -> bool {
    toks.get(i + 1) == Some(&Token::Punct('['))
        && is_ident(toks.get(i + 2), "cfg")
        && toks.get(i + 3) == Some(&Token::Punct('('))
        && is_ident(toks.get(i + 4), "test")
        && toks.get(i + 5) == Some(&Token::Punct(')'))
}

/// The index after the block whose `{` is at `open`.
fn skip_block(toks: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (j, t) in toks.iter().enumerate().skip(open) {
        match t {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Expands a `use` tree into (path, name it binds).
fn use_tree(toks: &[Token], prefix: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    let mut path = prefix;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Token::Ident(w) if w == "as" => {
                if let Some(Token::Ident(alias)) = toks.get(i + 1) {
                    out.push((path.clone(), alias.clone()));
                }
                return;
            }
            Token::Ident(seg) => {
                path.push(seg.clone());
                i += 1;
            }
            Token::PathSep => i += 1,
            Token::Punct('*') => {
                out.push((path.clone(), "*".to_string()));
                return;
            }
            Token::Punct('{') => {
                let close = skip_block(toks, i) - 1;
                let inner = &toks[i + 1..close];
                let mut depth = 0;
                let mut start = 0;
                for (k, t) in inner.iter().enumerate() {
                    match t {
                        Token::Punct('{') => depth += 1,
                        Token::Punct('}') => depth -= 1,
                        Token::Punct(',') if depth == 0 => {
                            use_tree(&inner[start..k], path.clone(), out);
                            start = k + 1;
                        }
                        _ => {}
                    }
                }
                use_tree(&inner[start..], path.clone(), out);
                return;
            }
            _ => i += 1,
        }
    }
    if let Some(last) = path.last().cloned() {
        let bound = if last == "self" {
            path.pop();
            path.last().cloned().unwrap_or_default()
        } else {
            last
        };
        out.push((path, bound));
    }
}

/// `crate::a::B`, `super::B`, `self::b::C` from module `here` as a path from the root. A
/// plain path (`inner::X`, `std::fmt`) is taken as within `here`: a child's re-export is
/// then followed, and anything else resolves to `here` itself, which is never an edge.
fn absolute(path: &[String], here: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    base.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(base)
}

/// Tarjan's strongly connected components.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        parts: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w.as_str()) {
                visit(s, w);
                let low = s.low[v].min(s.low[w.as_str()]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w.as_str()) {
                let low = s.low[v].min(s.index[w.as_str()]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut part = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                part.push(w.to_string());
                if w == v {
                    break;
                }
            }
            s.parts.push(part);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        parts: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.parts
}

/// The shortest walk from the part's first file back to itself, so the message reads as
/// a circle a person can follow (the other files of the part are listed beside it).
fn loop_through(part: &[String], edges: &BTreeMap<String, BTreeSet<String>>) -> Circle {
    let mut files = part.to_vec();
    files.sort();
    let members: BTreeSet<&String> = files.iter().collect();
    let start = files[0].clone();
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    let mut walk = vec![start.clone()];
    'search: while let Some(at) = queue.pop_front() {
        for next in &edges[&at] {
            if !members.contains(next) {
                continue;
            }
            if *next == start {
                let mut back = vec![at.clone()];
                while let Some(prev) = came_from.get(back.last().unwrap_or(&start)) {
                    back.push(prev.clone());
                }
                back.reverse();
                walk = back;
                break 'search;
            }
            if next != &start && !came_from.contains_key(next) {
                came_from.insert(next.clone(), at.clone());
                queue.push_back(next.clone());
            }
        }
    }
    Circle { files, walk }
}
