//! `cargo xtask build`: the Lambda zip for `provided.al2023` x86_64, a release build of the
//! skill's binary renamed `bootstrap`, after checking it needs no glibc newer than Amazon Linux
//! 2023's.
//!
//! Only x86_64 is built: this host has no aarch64 Rust target installed and no network to add one,
//! and the template declares `Architectures: [x86_64]` to match. The zip goes to
//! `<target directory>/lambda/<binary>/bootstrap.zip`, the layout cargo-lambda uses, under the
//! target directory cargo reports (so `CARGO_TARGET_DIR` and `build.target-dir` are followed).
//! The binary's glibc needs are read from its ELF dynamic symbol and version tables in-process
//! with the `object` crate, so binutils is not needed.

use std::{
    collections::BTreeMap,
    fmt,
    io::{Cursor, Write},
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use zip::{CompressionMethod, DateTime, ZipWriter, write::SimpleFileOptions};

use crate::cargo_build::{Cargo, Profile};

/// Amazon Linux 2023 ships glibc 2.34 (aws/aws-lambda-rust-runtime#932, docs/aws.md): a binary
/// needing a newer symbol version fails to start on `provided.al2023`.
pub(crate) const MAX_GLIBC: GlibcVersion = GlibcVersion {
    major: 2,
    minor: 34,
    patch: 0,
};

/// The one entry of the zip; Lambda custom runtimes start the executable of this name.
pub(crate) const BOOTSTRAP: &str = "bootstrap";

/// The cargo package and binary target that become the Lambda function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LambdaBinary<'a> {
    pub(crate) package: &'a str,
    pub(crate) binary: &'a str,
}

/// The built zip, ready to upload.
#[derive(Debug)]
pub(crate) struct BuiltLambda {
    /// The zip as written to [`Self::zip_path`].
    pub(crate) zip_bytes: Vec<u8>,
    /// `<target directory>/lambda/<binary>/bootstrap.zip`.
    pub(crate) zip_path: PathBuf,
}

/// Where the zip of `binary` goes under cargo's target directory.
pub(crate) fn zip_path(target_directory: &Path, binary: &str) -> PathBuf {
    target_directory
        .join("lambda")
        .join(binary)
        .join(format!("{BOOTSTRAP}.zip"))
}

/// Builds `lambda` in the workspace at `root`.
pub(crate) fn run(root: &Path, lambda: LambdaBinary<'_>) -> anyhow::Result<BuiltLambda> {
    build_lambda(&Cargo::new(root), lambda)
}

/// Release build, glibc check, zip; the zip is written under cargo's target directory.
pub(crate) fn build_lambda(cargo: &Cargo, lambda: LambdaBinary<'_>) -> anyhow::Result<BuiltLambda> {
    let features = cargo
        .package_features(lambda.package)?
        .map(|features| lambda_feature_args(&features))
        .unwrap_or_default();
    let binary = cargo
        .build_binary_with(lambda.package, lambda.binary, Profile::Release, &features)
        .with_context(|| format!("the release build of `{}` failed", lambda.package))?;
    let highest_glibc = check_glibc(&binary)?;
    let bootstrap = std::fs::read(&binary)
        .with_context(|| format!("could not read the built binary {}", binary.display()))?;
    let zip_bytes = lambda_zip(&bootstrap).context("could not build the Lambda zip")?;
    let zip_path = zip_path(&cargo.target_directory()?, lambda.binary);
    std::fs::create_dir_all(zip_path.parent().expect("the zip path has a folder"))
        .with_context(|| format!("could not create the folder of {}", zip_path.display()))?;
    std::fs::write(&zip_path, &zip_bytes)
        .with_context(|| format!("could not write {}", zip_path.display()))?;
    let glibc = match &highest_glibc {
        Some(requirement) => requirement.to_string(),
        None => "none".to_owned(),
    };
    eprintln!(
        "xtask build: {} ({} bytes, {} in the zip), highest glibc needed: {glibc} (limit {MAX_GLIBC})",
        zip_path.display(),
        zip_bytes.len(),
        BOOTSTRAP,
    );
    Ok(BuiltLambda {
        zip_bytes,
        zip_path,
    })
}

/// The feature of a skill crate that adds `serve`, the HTTPS endpoint (linked-skill's `serve`,
/// forwarded). Lambda never runs it, so the zip is built without it: no HTTP server, X.509
/// parsing or signature checks in the binary (with the lighter `RUST_LOG` filter that went in
/// with it, 11.3 MB of binary became 7.2 MB, the zip 4.97 MB became 3.20 MB).
pub(crate) const SERVE_FEATURE: &str = "serve";

/// The `cargo build` feature flags of the Lambda binary: the package's default features without
/// [`SERVE_FEATURE`], or nothing to add when its defaults do not include it.
fn lambda_feature_args(features: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let Some(default) = features.get("default") else {
        return Vec::new();
    };
    if !default.iter().any(|feature| feature == SERVE_FEATURE) {
        return Vec::new();
    }
    let kept: Vec<&str> = default
        .iter()
        .map(String::as_str)
        .filter(|feature| *feature != SERVE_FEATURE)
        .collect();
    let mut args = vec!["--no-default-features".to_owned()];
    if !kept.is_empty() {
        args.push("--features".to_owned());
        args.push(kept.join(","));
    }
    args
}

/// The release build of the default skill package (provision's default, `[skill] package`) for
/// the host (x86_64 Debian); returns the binary's path.
#[cfg(test)]
pub(crate) fn build_release_binary(root: &Path) -> anyhow::Result<PathBuf> {
    use provision::config::DEFAULT_LAMBDA_PACKAGE;
    Cargo::new(root)
        .build_binary(
            DEFAULT_LAMBDA_PACKAGE,
            DEFAULT_LAMBDA_PACKAGE,
            Profile::Release,
        )
        .context("the release build of the skill failed")
}

/// A glibc symbol version such as `2.34` or `2.2.5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GlibcVersion {
    major: u32,
    minor: u32,
    patch: u32,
}

impl GlibcVersion {
    /// Parses the part after `GLIBC_`.
    fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.').map(str::parse::<u32>);
        let major = parts.next()?.ok()?;
        let minor = parts.next()?.ok()?;
        let patch = match parts.next() {
            Some(part) => part.ok()?,
            None => 0,
        };
        parts.next().is_none().then_some(Self {
            major,
            minor,
            patch,
        })
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "GLIBC_{}.{}", self.major, self.minor)?;
        if self.patch != 0 {
            write!(formatter, ".{}", self.patch)?;
        }
        Ok(())
    }
}

/// One undefined dynamic symbol bound to a glibc version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlibcRequirement {
    pub(crate) version: GlibcVersion,
    pub(crate) symbol: String,
}

impl fmt::Display for GlibcRequirement {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} ({})", self.version, self.symbol)
    }
}

/// An undefined symbol of the dynamic symbol table: what the binary needs from a shared library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NeededSymbol {
    pub(crate) name: String,
    /// The version it is bound to, e.g. `GLIBC_2.34`; `None` for unversioned symbols.
    pub(crate) version: Option<String>,
    /// Weak references may be missing at run time (the binary checks for them).
    pub(crate) weak: bool,
}

/// Reads the binary's dynamic symbols and fails, naming the symbol, when a strong one needs a
/// glibc newer than [`MAX_GLIBC`]. Returns the highest requirement.
pub(crate) fn check_glibc(binary: &Path) -> anyhow::Result<Option<GlibcRequirement>> {
    let bytes = std::fs::read(binary)
        .with_context(|| format!("could not read the built binary {}", binary.display()))?;
    let symbols = needed_symbols(&bytes)
        .with_context(|| format!("could not read the ELF symbols of {}", binary.display()))?;
    let highest = highest_strong_requirement(&symbols);
    if let Some(requirement) = &highest
        && requirement.version > MAX_GLIBC
    {
        bail!(
            "{} needs {requirement}, newer than the {MAX_GLIBC} of Lambda's provided.al2023: build \
             on an older distribution or with cargo-zigbuild and a glibc pin \
             (x86_64-unknown-linux-gnu.2.17)",
            binary.display()
        );
    }
    Ok(highest)
}

/// The undefined dynamic symbols of a 64-bit ELF file with their GNU symbol versions (the
/// `.gnu.version` table indexes the `.gnu.version_r` needs by symbol; `object` resolves both).
pub(crate) fn needed_symbols(elf: &[u8]) -> anyhow::Result<Vec<NeededSymbol>> {
    use object::read::elf::ElfFile64;
    use object::{Object as _, ObjectSymbol as _};

    let file = ElfFile64::<object::Endianness>::parse(elf)
        .context("not a 64-bit ELF file (only x86_64 Lambda binaries are built)")?;
    let endian = file.endian();
    let versions = file
        .elf_section_table()
        .versions(endian, file.data())
        .context("unreadable symbol version tables")?;
    let mut needed = Vec::new();
    for symbol in file.dynamic_symbols() {
        if !symbol.is_undefined() {
            continue;
        }
        let name = symbol
            .name()
            .context("a dynamic symbol name is not UTF-8")?;
        if name.is_empty() {
            continue;
        }
        let version = match &versions {
            Some(versions) => versions
                .version(versions.version_index(endian, symbol.index()).index())
                .context("a symbol names a version that does not exist")?
                .map(|version| String::from_utf8_lossy(version.name()).into_owned()),
            None => None,
        };
        needed.push(NeededSymbol {
            name: name.to_owned(),
            version,
            weak: symbol.is_weak(),
        });
    }
    Ok(needed)
}

/// The highest glibc version among strong undefined symbols.
///
/// Weak references are left out: Rust's std looks up `gettid`, `statx` and friends weakly and
/// falls back when they are missing, so they do not stop the binary from starting.
pub(crate) fn highest_strong_requirement(symbols: &[NeededSymbol]) -> Option<GlibcRequirement> {
    symbols
        .iter()
        .filter(|symbol| !symbol.weak)
        .filter_map(|symbol| {
            let version = symbol.version.as_deref()?.strip_prefix("GLIBC_")?;
            Some(GlibcRequirement {
                version: GlibcVersion::parse(version)?,
                symbol: symbol.name.clone(),
            })
        })
        .max_by(|left, right| left.version.cmp(&right.version))
}

/// A zip holding only `bootstrap`, mode 0755, deflated, with a fixed timestamp so the same binary
/// always gives the same bytes (deploy keys the upload by the zip's hash).
pub(crate) fn lambda_zip(bootstrap: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o755)
        .last_modified_time(DateTime::default());
    writer.start_file(BOOTSTRAP, options)?;
    writer.write_all(bootstrap)?;
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn the_lambda_build_drops_serve_and_keeps_the_other_default_features() {
        let features = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
            pairs
                .iter()
                .map(|(name, enables)| {
                    (
                        (*name).to_owned(),
                        enables.iter().map(|e| (*e).to_owned()).collect(),
                    )
                })
                .collect()
        };
        let serve: &[&str] = &["linked-skill/serve"];
        assert_eq!(
            lambda_feature_args(&features(&[("default", &["serve"]), ("serve", serve)])),
            ["--no-default-features"]
        );
        assert_eq!(
            lambda_feature_args(&features(&[
                ("default", &["serve", "metrics", "fr"]),
                ("serve", serve),
                ("metrics", &[]),
                ("fr", &[]),
            ])),
            ["--no-default-features", "--features", "metrics,fr"]
        );
        // A skill without the feature, or with it off by default, builds as it is.
        assert!(lambda_feature_args(&features(&[])).is_empty());
        assert!(lambda_feature_args(&features(&[("serve", serve)])).is_empty());
        assert!(lambda_feature_args(&features(&[("default", &["metrics"])])).is_empty());
    }

    #[test]
    fn the_zip_holds_only_an_executable_bootstrap() {
        let binary = b"\x7fELF pretend binary".repeat(100);
        let bytes = lambda_zip(&binary).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|name| name.unwrap().into_owned())
            .collect();
        assert_eq!(names, [BOOTSTRAP]);
        let mut entry = archive.by_index(0).unwrap();
        // 0o100755: a regular file, rwxr-xr-x.
        assert_eq!(entry.unix_mode(), Some(0o100_755));
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        assert_eq!(contents, binary);
        drop(entry);
        // Same binary, same bytes: the content-addressed upload is skipped on an unchanged build.
        assert_eq!(lambda_zip(&binary).unwrap(), bytes);
        assert_ne!(lambda_zip(b"another binary").unwrap(), bytes);
    }

    fn needed(name: &str, version: Option<&str>, weak: bool) -> NeededSymbol {
        NeededSymbol {
            name: name.to_owned(),
            version: version.map(str::to_owned),
            weak,
        }
    }

    #[test]
    fn only_strong_glibc_symbols_count() {
        let symbols = vec![
            needed("gettid", Some("GLIBC_2.30"), true),
            needed("malloc", Some("GLIBC_2.2.5"), false),
            needed("__libc_start_main", Some("GLIBC_2.34"), false),
            needed("pow", Some("GLIBC_2.29"), false),
            needed("__gmon_start__", None, true),
            needed("pidfd_spawnp", Some("GLIBC_2.39"), true),
            needed("_Unwind_Resume", Some("GCC_3.0"), false),
        ];
        let highest = highest_strong_requirement(&symbols).unwrap();
        assert_eq!(highest.to_string(), "GLIBC_2.34 (__libc_start_main)");
        let mut too_new = symbols.clone();
        too_new.push(needed("__isoc23_strtol", Some("GLIBC_2.38"), false));
        let highest = highest_strong_requirement(&too_new).unwrap();
        assert_eq!(highest.to_string(), "GLIBC_2.38 (__isoc23_strtol)");
        assert!(highest.version > MAX_GLIBC);
        assert_eq!(highest_strong_requirement(&[]), None);
    }

    /// The reader on a real ELF file: this test binary, linked against the host's glibc.
    #[test]
    fn reads_versioned_glibc_symbols_of_a_real_binary() {
        let bytes = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let symbols = needed_symbols(&bytes).unwrap();
        let malloc = symbols
            .iter()
            .find(|symbol| symbol.name == "malloc")
            .expect("a Rust binary needs malloc from glibc");
        assert_eq!(malloc.version.as_deref(), Some("GLIBC_2.2.5"));
        assert!(!malloc.weak);
        assert!(highest_strong_requirement(&symbols).is_some());
        let error = needed_symbols(b"#!/bin/sh\n").unwrap_err();
        assert!(
            format!("{error:#}").contains("not a 64-bit ELF file"),
            "{error:#}"
        );
    }

    #[test]
    fn glibc_versions_order_numerically() {
        let version = |text| GlibcVersion::parse(text).unwrap();
        assert!(version("2.34") > version("2.2.5"));
        assert!(version("2.10") > version("2.9"));
        assert_eq!(version("2.2.5").to_string(), "GLIBC_2.2.5");
        assert_eq!(GlibcVersion::parse("2"), None);
        assert_eq!(GlibcVersion::parse("PRIVATE"), None);
    }

    /// The real release binary, as `cargo xtask build` makes it, runs on provided.al2023.
    #[test]
    fn the_release_skill_binary_needs_at_most_glibc_2_34() {
        let root = crate::workspace_root();
        let binary = build_release_binary(&root).unwrap();
        let highest = check_glibc(&binary)
            .unwrap()
            .expect("a dynamically linked binary needs some glibc symbol");
        assert!(highest.version <= MAX_GLIBC, "{highest}");
        assert!(
            highest.version >= GlibcVersion::parse("2.2.5").unwrap(),
            "{highest}"
        );
    }

    /// A whole `build_lambda` of a tiny project with `CARGO_TARGET_DIR` pointing elsewhere: the
    /// binary and the zip land in that directory, nothing in the project's own `target/`. (The
    /// sample skill is not used here: a cold release build of it into an empty target directory
    /// takes minutes on two cores; the same code path builds it in the test above.)
    #[test]
    fn the_build_follows_cargo_target_dir() {
        let base = std::env::temp_dir().join(format!("xtask-target-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let project = base.join("project");
        let target_directory = base.join("elsewhere");
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::fs::write(
            project.join("Cargo.toml"),
            "[package]\nname = \"hello-lambda\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(project.join("src/main.rs"), "fn main() {}\n").unwrap();
        let cargo = Cargo::new(&project).env("CARGO_TARGET_DIR", &target_directory);

        assert_eq!(cargo.target_directory().unwrap(), target_directory);
        let built = build_lambda(
            &cargo,
            LambdaBinary {
                package: "hello-lambda",
                binary: "hello-lambda",
            },
        )
        .unwrap();
        assert_eq!(
            built.zip_path,
            target_directory.join("lambda/hello-lambda/bootstrap.zip")
        );
        assert_eq!(std::fs::read(&built.zip_path).unwrap(), built.zip_bytes);
        assert!(target_directory.join("release/hello-lambda").is_file());
        assert!(!project.join("target").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }

    /// The AWS SDK belongs to provisioning; the Lambda zip stays small without it.
    #[test]
    fn the_lambda_binary_has_no_aws_sdk_dependency() {
        let root = crate::workspace_root();
        let inverted_tree = |package: &str| {
            std::process::Command::new("cargo")
                .args([
                    "tree",
                    "--package",
                    provision::config::DEFAULT_LAMBDA_PACKAGE,
                ])
                .args(["--edges", "normal,build"])
                .args(["--invert", package])
                .current_dir(&root)
                .output()
                .unwrap()
        };
        for package in ["aws-sdk-s3", "aws-sdk-cloudformation", "aws-config"] {
            let output = inverted_tree(package);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !output.status.success() && stderr.contains("did not match any packages"),
                "skill depends on {package}:\n{}{stderr}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        // The same query does find a package the skill uses, so the check above can fail.
        let control = inverted_tree("tokio");
        assert!(control.status.success());
        assert!(String::from_utf8_lossy(&control.stdout).contains("skill v0.0.0"));
    }
}
