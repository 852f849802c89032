//! A skill under test, described by data: `tests/dialogs/dialogs.toml` next to its dialog files.
//!
//! Every package of the workspace whose `tests/dialogs/` holds a `dialogs.toml` is a skill with
//! dialogs; nothing here names the sample skill, so another skill joins by adding that file.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::Command,
    sync::Mutex,
};

use anyhow::{Context, bail};
use devstack::{alexa::conversation::SkillModel, google::ApiDeclaration};
use serde::Deserialize;
use serde_json::Value;

use crate::chain::Transport;

/// The name of the file that makes a `tests/dialogs/` folder a skill's dialogs.
pub(crate) const DESCRIPTION_FILE: &str = "dialogs.toml";

/// What the runner needs to know about a skill.
#[derive(Debug)]
pub(crate) struct SkillUnderTest {
    /// The cargo package, and the binary in it that is the skill.
    pub(crate) package: String,
    pub(crate) binary: String,
    /// The folder holding `dialogs.toml` and the `*.yaml` dialogs.
    pub(crate) dialogs_directory: PathBuf,
    /// The ASK CLI skill package: `skill.json` and `interactionModels/custom/<locale>.json`.
    pub(crate) skill_package: PathBuf,
    /// The scopes Alexa asks Google for when linking, from the skill's configuration file.
    pub(crate) scopes: Vec<String>,
    pub(crate) transport: Transport,
    /// Skill events the manifest subscribes to (`SKILL_ACCOUNT_LINKED`, …): Alexa sends these.
    pub(crate) subscribed_events: Vec<String>,
    /// Google APIs the twin does not know, declared for every dialog of the skill.
    pub(crate) apis: Vec<ApiDeclaration>,
    /// Interaction models by locale, read when first needed.
    models: Mutex<BTreeMap<String, SkillModel>>,
}

/// `dialogs.toml`. Paths are relative to the workspace root.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescriptionFile {
    /// The binary of the package that is the skill; the package's name when absent.
    #[serde(default)]
    binary: Option<String>,
    /// The ASK CLI skill package folder (`skill.json`, `interactionModels/`).
    skill_package: PathBuf,
    /// A `skill.toml`-style configuration whose `[google] scopes` Alexa asks for.
    config: PathBuf,
    /// `lambda` (the default) or `serve`.
    #[serde(default)]
    transport: Option<String>,
    /// `[[api]]`: the routes of each Google API the skill calls that the twin has no code for.
    #[serde(default)]
    api: Vec<ApiDeclaration>,
}

#[derive(Deserialize)]
struct ManifestFile {
    manifest: Manifest,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    events: Option<Events>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Events {
    #[serde(default)]
    subscriptions: Vec<Subscription>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    event_name: String,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<MetadataPackage>,
}

#[derive(Deserialize)]
struct MetadataPackage {
    name: String,
    manifest_path: PathBuf,
}

/// Every skill of the workspace that has dialogs, in package order.
pub(crate) fn discover(
    root: &Path,
    transport: Option<Transport>,
) -> anyhow::Result<Vec<SkillUnderTest>> {
    let output = Command::new("cargo")
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
    let metadata: Metadata =
        serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no metadata")?;
    let mut skills = Vec::new();
    for package in metadata.packages {
        let directory = package
            .manifest_path
            .parent()
            .context("a manifest path has a parent")?
            .join("tests/dialogs");
        if directory.join(DESCRIPTION_FILE).is_file() {
            skills.push(SkillUnderTest::load(
                root,
                &package.name,
                &directory,
                transport,
            )?);
        }
    }
    skills.sort_by(|first, second| first.package.cmp(&second.package));
    Ok(skills)
}

impl SkillUnderTest {
    /// Reads `directory/dialogs.toml` of `package`; `transport`, when given, replaces the file's.
    pub(crate) fn load(
        root: &Path,
        package: &str,
        directory: &Path,
        transport: Option<Transport>,
    ) -> anyhow::Result<Self> {
        let path = directory.join(DESCRIPTION_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file: DescriptionFile = toml::from_str(&text)
            .with_context(|| format!("{} is not a valid skill description", path.display()))?;
        let transport = match (transport, file.transport.as_deref()) {
            (Some(transport), _) => transport,
            (None, None | Some("lambda")) => Transport::Lambda,
            (None, Some("serve")) => Transport::Serve,
            (None, Some(other)) => bail!(
                "{}: unknown transport `{other}`: the dialogs run the skill through `lambda` \
                 (cargo-lambda's Runtime API) or `serve` (`skill serve` with signed requests)",
                path.display()
            ),
        };
        for api in &file.api {
            api.check().map_err(|problem| {
                anyhow::anyhow!(
                    "{}: [[api]] {problem} (format: docs/dialogs.md, Declared Google APIs)",
                    path.display()
                )
            })?;
        }
        let config_path = root.join(&file.config);
        let config = provision::config::Config::load(&config_path).with_context(|| {
            format!(
                "{}: reading the scopes from `config = {:?}`",
                path.display(),
                file.config
            )
        })?;
        let scopes = config
            .google
            .scopes
            .iter()
            .map(|scope| scope.name.to_owned())
            .collect();
        let skill_package = root.join(&file.skill_package);
        let manifest_path = skill_package.join("skill.json");
        let manifest: ManifestFile = serde_json::from_str(
            &std::fs::read_to_string(&manifest_path)
                .with_context(|| format!("cannot read {}", manifest_path.display()))?,
        )
        .with_context(|| format!("{} is not a skill manifest", manifest_path.display()))?;
        let subscribed_events = manifest
            .manifest
            .events
            .map(|events| {
                events
                    .subscriptions
                    .into_iter()
                    .map(|subscription| subscription.event_name)
                    .collect()
            })
            .unwrap_or_default();
        Ok(SkillUnderTest {
            package: package.to_owned(),
            binary: file.binary.unwrap_or_else(|| package.to_owned()),
            dialogs_directory: directory.to_owned(),
            skill_package,
            scopes,
            transport,
            subscribed_events,
            apis: file.api,
            models: Mutex::new(BTreeMap::new()),
        })
    }

    /// The dialog files of this skill, sorted by name.
    pub(crate) fn dialog_files(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        let entries = std::fs::read_dir(&self.dialogs_directory)
            .with_context(|| format!("cannot list {}", self.dialogs_directory.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|extension| extension == "yaml" || extension == "yml")
            {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    /// The interaction model of `locale`.
    pub(crate) fn model(&self, locale: &str) -> anyhow::Result<SkillModel> {
        let mut models = self.models.lock().expect("model cache lock");
        if let Some(model) = models.get(locale) {
            return Ok(model.clone());
        }
        let path = self
            .skill_package
            .join(format!("interactionModels/custom/{locale}.json"));
        let model = SkillModel::load(&path).with_context(|| {
            format!(
                "the skill has no interaction model for locale `{locale}`: add {} or change the \
                 dialog's `locale:`",
                path.display()
            )
        })?;
        models.insert(locale.to_owned(), model.clone());
        Ok(model)
    }

    /// Whether Alexa sends this skill the event (`SKILL_ACCOUNT_LINKED`, …).
    pub(crate) fn subscribes_to(&self, event_name: &str) -> bool {
        self.subscribed_events.iter().any(|name| name == event_name)
    }
}

/// A dialog speaks a language its skill publishes: one it does not would test a model no user
/// ever reaches, so it is an error naming where the locale came from (`origin`, the dialog file),
/// the `setting` that chose it (`locale:`) and both ways out.
pub(crate) fn check_locale_is_published(
    skill_package: &Path,
    locale: &str,
    origin: &Path,
    setting: &str,
) -> anyhow::Result<()> {
    let manifest_path = skill_package.join("skill.json");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", manifest_path.display()))?;
    let published: Vec<&str> = manifest
        .pointer("/manifest/publishingInformation/locales")
        .and_then(Value::as_object)
        .map(|locales| locales.keys().map(String::as_str).collect())
        .unwrap_or_default();
    anyhow::ensure!(
        published.contains(&locale),
        "{}: {locale} is not a locale the skill publishes ({} lists {}): set {setting} to one of \
         those, or publish {locale} (add it to manifest.publishingInformation.locales and run \
         `cargo xtask models`)",
        origin.display(),
        manifest_path.display(),
        published.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_route_that_can_never_match_names_the_file() {
        let directory =
            std::env::temp_dir().join(format!("xtask-skill-api-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        std::fs::write(
            directory.join(DESCRIPTION_FILE),
            "skill_package = \"p\"\nconfig = \"c.toml\"\n[[api]]\nhost = \"tasks.googleapis.com\"\n\
             [[api.routes]]\nmethod = \"GET\"\npath = \"/tasks//v1\"\nscopes = [\"openid\"]\n\
             answer = { canned = {} }\n",
        )
        .unwrap();
        let error = SkillUnderTest::load(Path::new("/"), "example", &directory, None)
            .unwrap_err()
            .to_string();
        std::fs::remove_dir_all(&directory).unwrap();
        assert!(
            error.contains("dialogs.toml: [[api]] route GET /tasks//v1"),
            "{error}"
        );
        assert!(
            error.contains("can never match: it has an empty segment"),
            "{error}"
        );
    }

    #[test]
    fn a_dialog_in_a_locale_the_skill_does_not_publish_names_the_file_and_the_fix() {
        let package = crate::workspace_root().join("infra/skill-package");
        let dialog = Path::new("crates/skill/tests/dialogs/belgian.yaml");
        check_locale_is_published(&package, "en-US", dialog, "`locale:`").unwrap();
        let message = format!(
            "{:#}",
            check_locale_is_published(&package, "fr-BE", dialog, "`locale:`").unwrap_err()
        );
        assert!(
            message.starts_with("crates/skill/tests/dialogs/belgian.yaml: fr-BE is not a locale"),
            "{message}"
        );
        assert!(
            message.contains("set `locale:` to one of those"),
            "{message}"
        );
        assert!(message.contains("en-US"), "{message}");
        assert!(message.contains("cargo xtask models"), "{message}");
    }
}
