//! The Google twin's files import downwards only: no import cycle among the files of
//! `crates/devstack/src/google` (issue 22: it had become one 13-file circle), and each module
//! imports only from the layers `mod.rs` declares above it.
//!
//! The checker reads each file's paths that name another module of the twin (`use super::…`,
//! `use crate::google::…`, `self::`, a child module by name, and the same paths written inline,
//! e.g. `super::params::decode_page_token(…)`), maps each to the file that defines the module it
//! names, and looks for a cycle in that graph. Comments and string literals are skipped, and
//! `super` inside an inline module (`mod tests { use super::*; }`) is the file itself. With
//! `SHOW_GOOGLE_IMPORTS=1` the test prints every file's edges.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

/// The twin's module tree root, as a module path.
const ROOT: &str = "google";

#[test]
fn the_google_twin_imports_downwards_only() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/google");
    let mut files = Vec::new();
    collect_rust_files(&directory, &directory, &mut files);
    assert!(
        files.len() > 10,
        "expected the twin's files under {}",
        directory.display()
    );
    let graph = import_graph(&files);
    if std::env::var_os("SHOW_GOOGLE_IMPORTS").is_some() {
        for (file, targets) in &graph {
            eprintln!("{file} -> {targets:?}");
        }
    }
    let (_, root) = files
        .iter()
        .find(|(file, _)| file == "mod.rs")
        .expect("the twin has a mod.rs");
    if let Err(upward) = check_layers(root, &graph) {
        panic!(
            "crates/devstack/src/google/mod.rs declares its modules in layers, each importing \
             only from layers above it, but {upward}: move the module to a lower layer, or move \
             what it needs up"
        );
    }
    if let Err(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle in crates/devstack/src/google: {}. Move what both sides need into a \
             module below them (method constants, world data types, the token store and the auth \
             extractor each have one).",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_checker_finds_a_planted_cycle() {
    let files = [
        (
            "mod.rs",
            "mod auth;\nmod calendar;\nmod state;\npub use state::Shared;\n",
        ),
        (
            "state.rs",
            "//! State.\nuse super::calendar::CalendarEvent;\n",
        ),
        (
            "calendar.rs",
            "//! Calendar.\nuse super::{auth::Authorized, state::Shared};\n",
        ),
        ("auth.rs", "//! Auth.\nuse super::state::Shared;\n"),
    ];
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    let cycle = find_cycle(&import_graph(&files)).unwrap_err();
    assert_eq!(cycle, ["auth.rs", "state.rs", "calendar.rs", "auth.rs"]);

    // The same files with the data type moved below the state: no cycle.
    let mut fixed = files.clone();
    fixed[1].1 = "//! State.\nuse super::world::CalendarEvent;\n".to_string();
    fixed.push(("world.rs".to_string(), "//! World.\n".to_string()));
    fixed[0].1.push_str("mod world;\n");
    assert_eq!(find_cycle(&import_graph(&fixed)), Ok(()));
}

#[test]
fn the_checker_reads_use_trees_inline_paths_and_skips_tests_comments_and_strings() {
    let files: Vec<(String, String)> = [
        (
            "mod.rs",
            "mod a;\nmod b;\nmod c;\nmod d;\nmod sheets;\nfn start() { let _ = d::serve(); }\n",
        ),
        (
            "a.rs",
            "//! A.\nuse super::{\n    b::{self, B},\n    c as see,\n};\n// super::d::Nothing\nconst URL: &str = \
             \"super::d::x\";\nfn f() { super::d::g(); }\n#[cfg(test)]\nmod tests {\n    use \
             super::*;\n    use crate::google::sheets::a1::column;\n}\n",
        ),
        ("b.rs", "//! B.\n"),
        (
            "c.rs",
            "//! C.\nfn lifetime<'a>(x: &'a str) -> char { '{' }\n",
        ),
        ("d.rs", "//! D.\n"),
        ("sheets.rs", "//! Sheets.\nmod a1;\nuse a1::Bounds;\n"),
        (
            "sheets/a1.rs",
            "//! A1.\n#[cfg(test)]\nmod tests { use super::*; }\n",
        ),
    ]
    .iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect();
    let graph = import_graph(&files);
    let edges = |file: &str| -> Vec<&str> { graph[file].iter().map(String::as_str).collect() };
    assert_eq!(edges("a.rs"), ["b.rs", "c.rs", "d.rs", "sheets/a1.rs"]);
    assert_eq!(edges("mod.rs"), ["d.rs"]);
    assert_eq!(edges("sheets.rs"), ["sheets/a1.rs"]);
    assert_eq!(edges("sheets/a1.rs"), Vec::<&str>::new());
    assert_eq!(edges("c.rs"), Vec::<&str>::new());
}

#[test]
fn the_checker_finds_an_import_from_a_lower_or_the_same_layer() {
    let files: Vec<(String, String)> = [
        ("state.rs", "//! State.\nuse super::world::Event;\n"),
        (
            "world.rs",
            "//! World.\nmod inner;\nuse super::{helpers::x, world::inner::y};\n",
        ),
        ("world/inner.rs", "//! Inner.\n"),
        ("helpers.rs", "//! Helpers.\n"),
    ]
    .iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect();
    let graph = import_graph(&files);
    let upside_down = "// Top.\nmod state;\n// Middle.\nmod world;\n// Bottom.\nmod helpers;\n";
    assert_eq!(
        check_layers(upside_down, &graph),
        Err("state imports world, which is not in a layer above it".to_string())
    );
    let flat = "mod helpers;\nmod state;\nmod world;\n";
    assert_eq!(
        check_layers(flat, &graph),
        Err("state imports world, which is not in a layer above it".to_string())
    );
    let layered = "mod helpers;\n\nmod world;\n// The state.\nmod state;\n";
    assert_eq!(check_layers(layered, &graph), Ok(()));

    let mut upward = files.clone();
    upward.push(("mod.rs".to_string(), layered.to_string()));
    upward[3].1 = "//! Helpers.\nuse super::Emulator;\n".to_string();
    assert_eq!(
        check_layers(layered, &import_graph(&upward)),
        Err("helpers imports mod.rs, which sits on top of every layer".to_string())
    );
}

/// Whether every top-level module of the twin imports only from layers above its own. A layer is
/// a run of consecutive `mod name;` lines in `mod.rs` (a comment or blank line starts the next);
/// files under a module's folder count as that module.
fn check_layers(root: &str, graph: &BTreeMap<String, BTreeSet<String>>) -> Result<(), String> {
    let mut layers: BTreeMap<String, usize> = BTreeMap::new();
    let mut layer = 0;
    let mut in_run = false;
    for line in root.lines() {
        let declared = line
            .trim()
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        match declared {
            Some(name) => {
                layers.insert(name.trim().to_string(), layer);
                in_run = true;
            }
            None if in_run => {
                layer += 1;
                in_run = false;
            }
            None => {}
        }
    }
    let top_level = |file: &str| -> String {
        file.trim_end_matches(".rs")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    for (file, targets) in graph {
        let module = top_level(file);
        let Some(&own) = layers.get(&module) else {
            continue;
        };
        for target in targets {
            if target == "mod.rs" {
                return Err(format!(
                    "{module} imports mod.rs, which sits on top of every layer"
                ));
            }
            let target_module = top_level(target);
            if target_module == module {
                continue;
            }
            if layers
                .get(&target_module)
                .is_none_or(|&theirs| theirs >= own)
            {
                return Err(format!(
                    "{module} imports {target_module}, which is not in a layer above it"
                ));
            }
        }
    }
    Ok(())
}

fn collect_rust_files(root: &Path, directory: &Path, files: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("reading {}: {error}", directory.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_rust_files(root, &path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
            files.push((relative, text));
        }
    }
}

/// The module path a file defines: `mod.rs` → `google`, `sheets.rs` → `google::sheets`,
/// `sheets/a1.rs` → `google::sheets::a1`, `world/mod.rs` → `google::world`.
fn module_of(file: &str) -> Vec<String> {
    let mut path = vec![ROOT.to_string()];
    let without_extension = file.trim_end_matches(".rs");
    for segment in without_extension.split('/') {
        if segment != "mod" {
            path.push(segment.to_string());
        }
    }
    path
}

/// Each file's set of other files it imports from.
fn import_graph(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|(file, _)| (module_of(file), file.clone()))
        .collect();
    let mut graph = BTreeMap::new();
    for (file, text) in files {
        let module = module_of(file);
        let mut targets = BTreeSet::new();
        for (inline_depth, path) in referenced_paths(&tokenize(text)) {
            let Some(absolute) = resolve(&module, inline_depth, &path, &modules) else {
                continue;
            };
            // The longest module prefix that is a file is where the named item lives.
            let target = (1..=absolute.len())
                .rev()
                .find_map(|length| modules.get(&absolute[..length]));
            if let Some(target) = target
                && target != file
            {
                targets.insert(target.clone());
            }
        }
        graph.insert(file.clone(), targets);
    }
    graph
}

/// `path` as an absolute module path, if it names something of the twin. `inline_depth` is how
/// many inline modules (`mod tests { … }`) deep it was written.
fn resolve(
    module: &[String],
    inline_depth: usize,
    path: &[String],
    modules: &BTreeMap<Vec<String>, String>,
) -> Option<Vec<String>> {
    let mut current: Vec<String> = module.to_vec();
    current.extend((0..inline_depth).map(|depth| format!("#inline{depth}")));
    let mut segments = path.iter().peekable();
    match segments.peek().map(|segment| segment.as_str()) {
        Some("crate") => {
            segments.next();
            if segments.next()? != ROOT {
                return None;
            }
            current = vec![ROOT.to_string()];
        }
        Some("self") => {
            segments.next();
        }
        Some("super") => {
            while segments.peek().map(|segment| segment.as_str()) == Some("super") {
                segments.next();
                current.pop()?;
            }
        }
        Some(first) => {
            // A child module named without `self::` (`use state::Shared;` in mod.rs).
            let mut child = module.to_vec();
            child.push(first.to_string());
            if inline_depth > 0 || !modules.contains_key(&child) {
                return None;
            }
        }
        None => return None,
    }
    current.retain(|segment| !segment.starts_with("#inline"));
    current.extend(segments.cloned());
    Some(current)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Identifier(String),
    PathSeparator,
    Punctuation(char),
}

/// Rust source as identifiers, `::` and single punctuation characters, without comments,
/// string, byte-string and character literals, or lifetimes.
fn tokenize(text: &str) -> Vec<Token> {
    let characters: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    let at = |index: usize| characters.get(index).copied().unwrap_or('\0');
    while index < characters.len() {
        let character = characters[index];
        if character == '/' && at(index + 1) == '/' {
            while index < characters.len() && characters[index] != '\n' {
                index += 1;
            }
        } else if character == '/' && at(index + 1) == '*' {
            let mut depth = 0;
            while index < characters.len() {
                if at(index) == '/' && at(index + 1) == '*' {
                    depth += 1;
                    index += 2;
                } else if at(index) == '*' && at(index + 1) == '/' {
                    depth -= 1;
                    index += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    index += 1;
                }
            }
        } else if character == 'r' && (at(index + 1) == '"' || at(index + 1) == '#') {
            // A raw string r"…" or r#"…"# (an identifier starting with r is handled below when
            // no quote follows the hashes).
            let mut hashes = 0;
            let mut cursor = index + 1;
            while at(cursor) == '#' {
                hashes += 1;
                cursor += 1;
            }
            if at(cursor) == '"' {
                cursor += 1;
                loop {
                    if cursor >= characters.len() {
                        break;
                    }
                    if at(cursor) == '"' && (1..=hashes).all(|offset| at(cursor + offset) == '#') {
                        cursor += 1 + hashes;
                        break;
                    }
                    cursor += 1;
                }
                index = cursor;
            } else {
                tokens.push(Token::Identifier("r".to_string()));
                index += 1;
            }
        } else if character == '"' {
            index += 1;
            while index < characters.len() && characters[index] != '"' {
                if characters[index] == '\\' {
                    index += 1;
                }
                index += 1;
            }
            index += 1;
        } else if character == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if at(index + 1) == '\\' {
                index += 2;
                while index < characters.len() && characters[index] != '\'' {
                    index += 1;
                }
                index += 1;
            } else if at(index + 2) == '\'' {
                index += 3;
            } else {
                index += 1;
                while at(index).is_alphanumeric() || at(index) == '_' {
                    index += 1;
                }
            }
        } else if character.is_alphabetic() || character == '_' {
            let start = index;
            while at(index).is_alphanumeric() || at(index) == '_' {
                index += 1;
            }
            tokens.push(Token::Identifier(characters[start..index].iter().collect()));
        } else if character == ':' && at(index + 1) == ':' {
            tokens.push(Token::PathSeparator);
            index += 2;
        } else if character.is_whitespace() || character.is_ascii_digit() {
            index += 1;
        } else {
            tokens.push(Token::Punctuation(character));
            index += 1;
        }
    }
    tokens
}

/// Every module path written in the tokens: each `use` tree expanded, and each inline path that
/// starts with `super`, `self` or `crate` or with a child module (`mod name;`) of the file, with
/// how many inline modules deep it was written.
fn referenced_paths(tokens: &[Token]) -> Vec<(usize, Vec<String>)> {
    let identifier = |index: usize| match tokens.get(index) {
        Some(Token::Identifier(name)) => Some(name.as_str()),
        _ => None,
    };
    let child_modules: BTreeSet<&str> = (0..tokens.len())
        .filter(|&index| {
            identifier(index) == Some("mod")
                && tokens.get(index + 2) == Some(&Token::Punctuation(';'))
        })
        .filter_map(|index| identifier(index + 1))
        .collect();
    let mut paths = Vec::new();
    // Open braces, and which of them opened an inline module.
    let mut braces: Vec<bool> = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        let inline_depth = braces.iter().filter(|is_module| **is_module).count();
        match &tokens[index] {
            Token::Punctuation('{') => {
                let is_module = index >= 2
                    && identifier(index - 2) == Some("mod")
                    && identifier(index - 1).is_some();
                braces.push(is_module);
                index += 1;
            }
            Token::Punctuation('}') => {
                braces.pop();
                index += 1;
            }
            Token::Identifier(keyword) if keyword == "use" => {
                let mut end = index + 1;
                while end < tokens.len() && tokens[end] != Token::Punctuation(';') {
                    end += 1;
                }
                let mut expanded = Vec::new();
                expand_use_tree(&tokens[index + 1..end], Vec::new(), &mut expanded);
                paths.extend(expanded.into_iter().map(|path| (inline_depth, path)));
                index = end + 1;
            }
            Token::Identifier(first)
                if tokens.get(index + 1) == Some(&Token::PathSeparator)
                    && (index == 0 || tokens[index - 1] != Token::PathSeparator)
                    && (["super", "self", "crate"].contains(&first.as_str())
                        || (inline_depth == 0 && child_modules.contains(first.as_str()))) =>
            {
                let mut path = vec![first.clone()];
                let mut cursor = index + 1;
                while tokens.get(cursor) == Some(&Token::PathSeparator)
                    && let Some(next) = identifier(cursor + 1)
                {
                    path.push(next.to_string());
                    cursor += 2;
                }
                paths.push((inline_depth, path));
                index = cursor;
            }
            _ => index += 1,
        }
    }
    paths
}

/// Expands a `use` tree (`super::{a::B, c::{self, D}}`) into full paths.
fn expand_use_tree(tokens: &[Token], prefix: Vec<String>, paths: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    let mut index = 0;
    while index < tokens.len() {
        match &tokens[index] {
            Token::Identifier(name) if name == "as" => break,
            Token::Identifier(name) if name == "self" && !path.is_empty() => {}
            Token::Identifier(name) => path.push(name.clone()),
            Token::PathSeparator => {}
            Token::Punctuation('*') => {}
            Token::Punctuation('{') => {
                // Split the group at its top-level commas.
                let mut depth = 0;
                let mut start = index + 1;
                for cursor in index + 1..tokens.len() {
                    match tokens[cursor] {
                        Token::Punctuation('{') => depth += 1,
                        // An empty member (after a trailing comma) names nothing.
                        Token::Punctuation('}') if depth == 0 => {
                            if start < cursor {
                                expand_use_tree(&tokens[start..cursor], path.clone(), paths);
                            }
                            return;
                        }
                        Token::Punctuation('}') => depth -= 1,
                        Token::Punctuation(',') if depth == 0 => {
                            if start < cursor {
                                expand_use_tree(&tokens[start..cursor], path.clone(), paths);
                            }
                            start = cursor + 1;
                        }
                        _ => {}
                    }
                }
                return;
            }
            _ => {}
        }
        index += 1;
    }
    if !path.is_empty() {
        paths.push(path);
    }
}

/// A cycle as the files along it (the first repeated at the end), or `Ok` if there is none.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Result<(), Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unvisited,
        OnPath,
        Done,
    }
    fn visit(
        file: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Result<(), Vec<String>> {
        marks.insert(file.to_string(), Mark::OnPath);
        path.push(file.to_string());
        for target in graph.get(file).into_iter().flatten() {
            match marks.get(target).copied().unwrap_or(Mark::Unvisited) {
                Mark::OnPath => {
                    let start = path.iter().position(|step| step == target).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(target.clone());
                    return Err(cycle);
                }
                Mark::Unvisited => visit(target, graph, marks, path)?,
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(file.to_string(), Mark::Done);
        Ok(())
    }
    let mut marks = BTreeMap::new();
    for file in graph.keys() {
        if marks.get(file).copied().unwrap_or(Mark::Unvisited) == Mark::Unvisited {
            visit(file, graph, &mut marks, &mut Vec::new())?;
        }
    }
    Ok(())
}
