//! Which skill a command acts on: `--skill PACKAGE`, else the configuration's `[skill] package`.
//!
//! Nothing here names a skill: a skill is a cargo package of the workspace, and the ones with
//! dialogs describe themselves in `tests/dialogs/dialogs.toml` (`dialogs::skill`). The default
//! comes from `skill.toml` in the workspace root when there is one, else from provision's default,
//! so `cargo xtask dev` works before anything is configured.

use std::path::Path;

use anyhow::{Context, bail};
use provision::config::{CargoName, DEFAULT_CONFIG_PATH, DEFAULT_LAMBDA_PACKAGE};

use crate::{
    build::LambdaBinary,
    chain::Transport,
    dialogs::skill::{self, SkillUnderTest},
};

/// `--skill PACKAGE` of every command that acts on one skill.
#[derive(Debug, clap::Args)]
pub(crate) struct SkillArg {
    /// The skill's cargo package (default: `[skill] package` of skill.toml, else `skill`).
    #[arg(long, value_name = "PACKAGE")]
    pub(crate) skill: Option<String>,
}

/// `requested`, checked as a package name, else the configuration's `[skill] package`.
pub(crate) fn package_or_default(root: &Path, requested: Option<&str>) -> anyhow::Result<String> {
    let package = match requested {
        Some(package) => package.to_owned(),
        None => configured_package(&root.join(DEFAULT_CONFIG_PATH))?
            .unwrap_or_else(|| DEFAULT_LAMBDA_PACKAGE.to_owned()),
    };
    CargoName::parse(&package).map_err(|problem| anyhow::anyhow!("--skill: {problem}"))?;
    Ok(package)
}

/// The skill of `package` as its `tests/dialogs/dialogs.toml` describes it; an error listing the
/// skills that have one when it has none.
pub(crate) fn with_dialogs(
    root: &Path,
    package: &str,
    transport: Option<Transport>,
) -> anyhow::Result<SkillUnderTest> {
    let skills = skill::discover(root, transport)?;
    let names: Vec<String> = skills.iter().map(|skill| skill.package.clone()).collect();
    match skills.into_iter().find(|skill| skill.package == package) {
        Some(skill) => Ok(skill),
        None => bail!(
            "no skill package `{package}` with tests/dialogs/{}: pass --skill with one of: {}",
            skill::DESCRIPTION_FILE,
            if names.is_empty() {
                "(none)".to_owned()
            } else {
                names.join(", ")
            }
        ),
    }
}

/// The package and binary `cargo xtask build` builds for `package`: the binary its `dialogs.toml`
/// names, else the one named like the package.
pub(crate) fn lambda_binary(root: &Path, package: &str) -> anyhow::Result<(String, String)> {
    let binary = skill::discover(root, None)?
        .into_iter()
        .find(|skill| skill.package == package)
        .map_or_else(|| package.to_owned(), |skill| skill.binary);
    Ok((package.to_owned(), binary))
}

/// Builds the Lambda zip of `package` and prints its path on stdout.
pub(crate) fn build(root: &Path, package: &str) -> anyhow::Result<()> {
    let (package, binary) = lambda_binary(root, package)?;
    let built = crate::build::run(
        root,
        LambdaBinary {
            package: &package,
            binary: &binary,
        },
    )?;
    println!("{}", built.zip_path.display());
    Ok(())
}

/// The folder `cargo xtask models` works on for `package`: the one holding its skill package.
pub(crate) fn models_dir(root: &Path, package: &str) -> anyhow::Result<std::path::PathBuf> {
    let skill = with_dialogs(root, package, None)?;
    skill
        .skill_package
        .parent()
        .map(Path::to_path_buf)
        .with_context(|| format!("the skill package of `{package}` has no parent folder"))
}

/// `[skill] package` of the configuration file at `path`, if the file exists and sets it.
fn configured_package(path: &Path) -> anyhow::Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", path.display()));
        }
    };
    package_of_config(&text).with_context(|| {
        format!(
            "{} is not valid TOML: fix it, or pass --skill PACKAGE",
            path.display()
        )
    })
}

fn package_of_config(text: &str) -> Result<Option<String>, toml::de::Error> {
    let config: toml::Table = toml::from_str(text)?;
    Ok(config
        .get("skill")
        .and_then(|skill| skill.get("package"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_configured_package() {
        assert_eq!(
            package_of_config("[skill]\npackage = \"pantry\"\n").unwrap(),
            Some("pantry".to_owned())
        );
        assert_eq!(package_of_config("[google]\nscopes = []\n").unwrap(), None);
        assert!(package_of_config("[skill\n").is_err());
    }

    #[test]
    fn a_missing_config_leaves_the_default_to_provision() {
        let root = std::env::temp_dir().join(format!("xtask-skills-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        assert_eq!(
            package_or_default(&root, None).unwrap(),
            DEFAULT_LAMBDA_PACKAGE
        );
        std::fs::write(
            root.join(DEFAULT_CONFIG_PATH),
            "[skill]\npackage = \"pantry\"\n",
        )
        .unwrap();
        assert_eq!(package_or_default(&root, None).unwrap(), "pantry");
        assert_eq!(
            package_or_default(&root, Some("gmail-skill")).unwrap(),
            "gmail-skill"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_name_that_is_no_package_name_is_refused() {
        let error = package_or_default(Path::new("/nowhere"), Some("no such/skill"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("--skill: \"no such/skill\" is not a cargo package"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_skill_lists_the_skills_with_dialogs() {
        let root = crate::workspace_root();
        let error = with_dialogs(&root, "no-such-skill", None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no skill package `no-such-skill`"),
            "{error}"
        );
        assert!(error.contains("gmail-skill"), "{error}");
    }
}
