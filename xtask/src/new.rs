//! `cargo xtask new NAME`: a new skill crate in `examples/NAME`, shaped like the Gmail example.
//!
//! One Google-backed intent (`WhoAmIIntent`, the account's name from userinfo) with its English
//! texts, the model source and the skill package, `skill.example.toml`, unit tests on the
//! toolkit's fake Google and a dialog. Untouched it builds, passes its tests and dialogs and
//! packages. The templates are `xtask/templates/skill/*.tmpl`; every check runs before anything is
//! written, and a failed write removes the half-made folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// Where new skills go; the workspace's `members` glob `examples/*` covers it.
const SKILLS_FOLDER: &str = "examples";

/// Every file of a new skill: its path in the crate and its template.
const FILES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../templates/skill/Cargo.toml.tmpl"),
    ),
    (
        "src/main.rs",
        include_str!("../templates/skill/main.rs.tmpl"),
    ),
    ("src/lib.rs", include_str!("../templates/skill/lib.rs.tmpl")),
    (
        "src/texts.rs",
        include_str!("../templates/skill/texts.rs.tmpl"),
    ),
    (
        "src/texts/en.rs",
        include_str!("../templates/skill/en.rs.tmpl"),
    ),
    (
        "src/who_am_i.rs",
        include_str!("../templates/skill/who_am_i.rs.tmpl"),
    ),
    (
        "models/en.json",
        include_str!("../templates/skill/models-en.json.tmpl"),
    ),
    (
        "skill-package/skill.json",
        include_str!("../templates/skill/skill.json.tmpl"),
    ),
    (
        "skill.example.toml",
        include_str!("../templates/skill/skill.example.toml.tmpl"),
    ),
    (
        "tests/dialogs/dialogs.toml",
        include_str!("../templates/skill/dialogs.toml.tmpl"),
    ),
    (
        "tests/dialogs/linked.yaml",
        include_str!("../templates/skill/linked.yaml.tmpl"),
    ),
];

/// Writes the skill `name` into `examples/NAME` of the workspace at `root`, generates its
/// interaction models, and says what to run next.
pub(crate) fn run(root: &Path, name: &str) -> anyhow::Result<()> {
    let directory = check_new(root, name)?;
    if let Err(error) = write(&directory, name) {
        let _ = std::fs::remove_dir_all(&directory);
        return Err(error);
    }
    crate::models::run(std::slice::from_ref(&directory), false)
        .context("could not generate the new skill's interaction models")?;
    println!("created {SKILLS_FOLDER}/{name}: a skill with one intent, WhoAmIIntent. Next:");
    println!("  cargo test -p {name}");
    println!("  cargo xtask dialogs --skill {name}");
    println!("  cargo xtask dev --skill {name} --link");
    println!("  cargo xtask build --skill {name}");
    Ok(())
}

/// The folder the skill goes to, once `name` is a valid, free name; nothing is written.
fn check_new(root: &Path, name: &str) -> anyhow::Result<PathBuf> {
    check_name(name)?;
    for folder in [SKILLS_FOLDER, "crates"] {
        let taken = root.join(folder).join(name);
        if taken.exists() {
            bail!("{folder}/{name} already exists: pick another name, or remove that folder first");
        }
    }
    if name == "xtask" || package_names(root)?.iter().any(|package| package == name) {
        bail!("the workspace already has a package `{name}`: pick another name");
    }
    Ok(root.join(SKILLS_FOLDER).join(name))
}

/// A name that is a cargo package name and can be spoken: lowercase words of letters joined by
/// `-`, because it becomes the invocation name ("NAME companion"), which takes letters only.
fn check_name(name: &str) -> anyhow::Result<()> {
    let words_of_letters = !name.is_empty()
        && name
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_lowercase()));
    if !words_of_letters {
        bail!(
            "{name:?} is not a skill name: use lowercase letters with single `-` between words \
             (e.g. `pantry` or `plant-care`); it is the cargo package and part of the invocation \
             name, which takes letters only"
        );
    }
    // Rust keywords and the standard crates cannot be package names cargo builds.
    const RESERVED: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "macro",
        "override",
        "priv",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "try",
        "gen",
        "core",
        "std",
        "alloc",
        "proc-macro",
        "test",
    ];
    if RESERVED.contains(&name) {
        bail!("{name:?} is reserved by Rust and cannot be a package name: pick another name");
    }
    Ok(())
}

/// The names of the workspace's packages.
fn package_names(root: &Path) -> anyhow::Result<Vec<String>> {
    let output = std::process::Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output()
        .context("could not run `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no metadata")?;
    Ok(metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect())
}

fn write(directory: &Path, name: &str) -> anyhow::Result<()> {
    for (path, template) in FILES {
        let path = directory.join(path);
        std::fs::create_dir_all(path.parent().expect("every file is in a folder"))
            .with_context(|| format!("could not create the folder of {}", path.display()))?;
        std::fs::write(&path, fill(template, name))
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    Ok(())
}

/// The template with the skill's names put in: `{{name}}` the package, `{{crate}}` its Rust
/// name, `{{title}}` the spoken name ("Plant Care"), `{{invocation}}` ("plant care companion").
fn fill(template: &str, name: &str) -> String {
    let words: Vec<&str> = name.split('-').collect();
    let title: Vec<String> = words
        .iter()
        .map(|word| {
            let mut letters = word.chars();
            letters.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + letters.as_str()
            })
        })
        .collect();
    template
        .replace("{{name}}", name)
        .replace("{{crate}}", &name.replace('-', "_"))
        .replace("{{title}}", &title.join(" "))
        .replace("{{invocation}}", &format!("{} companion", words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-new-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("examples")).unwrap();
        root
    }

    #[test]
    fn names_that_are_no_spoken_crate_name_are_refused() {
        for name in [
            "",
            "Pantry",
            "pantry2",
            "plant_care",
            "-pantry",
            "plant--care",
            "my skill",
        ] {
            let error = check_name(name).unwrap_err().to_string();
            assert!(error.contains("is not a skill name"), "{name}: {error}");
        }
        let error = check_name("type").unwrap_err().to_string();
        assert!(error.contains("reserved"), "{error}");
        check_name("plant-care").unwrap();
    }

    #[test]
    fn a_taken_name_is_refused_and_nothing_is_written() {
        let workspace = crate::workspace_root();
        for taken in ["gmail-skill", "skill", "devstack", "xtask"] {
            let error = check_new(&workspace, taken).unwrap_err().to_string();
            assert!(
                error.contains("already exists") || error.contains("already has a package"),
                "{taken}: {error}"
            );
        }
        let root = scratch("taken");
        std::fs::create_dir_all(root.join("examples/pantry")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        let error = run(&root, "pantry").unwrap_err().to_string();
        assert!(error.contains("examples/pantry already exists"), "{error}");
        assert_eq!(
            std::fs::read_dir(root.join("examples/pantry"))
                .unwrap()
                .count(),
            0
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn every_placeholder_is_filled() {
        let root = scratch("filled");
        write(&root.join("examples/plant-care"), "plant-care").unwrap();
        for (path, _) in FILES {
            let text =
                std::fs::read_to_string(root.join("examples/plant-care").join(path)).unwrap();
            assert!(!text.contains("{{"), "{path} keeps a placeholder");
        }
        let lib = std::fs::read_to_string(root.join("examples/plant-care/src/main.rs")).unwrap();
        assert!(lib.contains("plant_care::skill()"), "{lib}");
        let model =
            std::fs::read_to_string(root.join("examples/plant-care/models/en.json")).unwrap();
        assert!(model.contains("\"invocationName\": \"plant care companion\""));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
