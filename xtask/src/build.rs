//! `cargo xtask build`: the Lambda zip for `provided.al2023` x86_64, a release build of `skill`
//! renamed `bootstrap`, after checking it needs no glibc newer than Amazon Linux 2023's.
//!
//! Only x86_64 is built: this host has no aarch64 Rust target installed and no network to add one,
//! and the template declares `Architectures: [x86_64]` to match.

use std::{
    fmt,
    io::{Cursor, Write},
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use zip::{CompressionMethod, DateTime, ZipWriter, write::SimpleFileOptions};

/// Amazon Linux 2023 ships glibc 2.34 (aws/aws-lambda-rust-runtime#932): a binary needing a newer
/// symbol version fails to start on `provided.al2023`.
pub(crate) const MAX_GLIBC: GlibcVersion = GlibcVersion {
    major: 2,
    minor: 34,
    patch: 0,
};

/// The one entry of the zip; Lambda custom runtimes start the executable of this name.
pub(crate) const BOOTSTRAP: &str = "bootstrap";

/// The zip's place, relative to the workspace root.
pub(crate) const ZIP_PATH: &str = "target/lambda/skill/bootstrap.zip";

/// The built zip, ready to upload.
#[derive(Debug)]
pub(crate) struct BuiltLambda {
    /// The zip as written to [`ZIP_PATH`].
    pub(crate) zip_bytes: Vec<u8>,
}

pub(crate) fn run(root: &Path) -> anyhow::Result<BuiltLambda> {
    let binary = build_release_binary(root)?;
    let highest_glibc = check_glibc(&binary)?;
    let bootstrap = std::fs::read(&binary)
        .with_context(|| format!("could not read the built binary {}", binary.display()))?;
    let zip_bytes = lambda_zip(&bootstrap).context("could not build the Lambda zip")?;
    let zip_path = root.join(ZIP_PATH);
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
    Ok(BuiltLambda { zip_bytes })
}

/// `cargo build --release -p skill` for the host (x86_64 Debian); returns the binary's path.
pub(crate) fn build_release_binary(root: &Path) -> anyhow::Result<PathBuf> {
    crate::cargo_build::build_binary(root, "skill", "skill", crate::cargo_build::Profile::Release)
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

/// Reads the binary's dynamic symbols with `objdump -T` and fails, naming the symbol, when a
/// strong one needs a glibc newer than [`MAX_GLIBC`]. Returns the highest requirement.
pub(crate) fn check_glibc(binary: &Path) -> anyhow::Result<Option<GlibcRequirement>> {
    let output = Command::new("objdump")
        .arg("-T")
        .arg(binary)
        .output()
        .context("could not run objdump: install binutils (`apt-get install binutils`)")?;
    if !output.status.success() {
        bail!(
            "`objdump -T {}` failed with {}: {}",
            binary.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let listing = String::from_utf8_lossy(&output.stdout);
    let highest = highest_strong_requirement(&listing);
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

/// The highest glibc version among strong undefined symbols of an `objdump -T` listing.
///
/// Weak references are left out: Rust's std looks up `gettid`, `statx` and friends weakly and
/// falls back when they are missing, so they do not stop the binary from starting.
pub(crate) fn highest_strong_requirement(objdump_listing: &str) -> Option<GlibcRequirement> {
    objdump_listing
        .lines()
        .filter_map(parse_dynamic_symbol_line)
        .max_by(|left, right| left.version.cmp(&right.version))
}

/// `0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.34) __libc_start_main` gives a
/// requirement; weak (`w` in the second flag column), defined and unversioned symbols give none.
fn parse_dynamic_symbol_line(line: &str) -> Option<GlibcRequirement> {
    let (address, rest) = line.split_once(' ')?;
    if address.is_empty() || !address.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return None;
    }
    // objdump prints seven one-character flag columns after the address; the second is `w`.
    let flags = rest.get(..7)?;
    if flags.as_bytes()[1] == b'w' || !rest.contains("*UND*") {
        return None;
    }
    let mut tokens = rest[7..].split_whitespace();
    let version = tokens.find_map(|token| {
        let token = token.trim_start_matches('(').trim_end_matches(')');
        GlibcVersion::parse(token.strip_prefix("GLIBC_")?)
    })?;
    let symbol = rest.split_whitespace().last()?.to_owned();
    Some(GlibcRequirement { version, symbol })
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

    #[test]
    fn only_strong_glibc_symbols_count() {
        let listing = "\
target/release/skill:     file format elf64-x86-64

DYNAMIC SYMBOL TABLE:
0000000000000000  w   DF *UND*\t0000000000000000 (GLIBC_2.30) gettid
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.2.5) malloc
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.34) __libc_start_main
0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.29) pow
0000000000000000  w   D  *UND*\t0000000000000000  Base        __gmon_start__
0000000000000000  w   DF *UND*\t0000000000000000 (GLIBC_2.39) pidfd_spawnp
";
        let highest = highest_strong_requirement(listing).unwrap();
        assert_eq!(highest.to_string(), "GLIBC_2.34 (__libc_start_main)");
        let too_new = format!(
            "{listing}0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.38) __isoc23_strtol\n"
        );
        let highest = highest_strong_requirement(&too_new).unwrap();
        assert_eq!(highest.to_string(), "GLIBC_2.38 (__isoc23_strtol)");
        assert!(highest.version > MAX_GLIBC);
        assert_eq!(highest_strong_requirement("no symbols here\n"), None);
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

    /// The AWS SDK belongs to provisioning; the Lambda zip stays small without it.
    #[test]
    fn the_lambda_binary_has_no_aws_sdk_dependency() {
        let root = crate::workspace_root();
        let inverted_tree = |package: &str| {
            Command::new("cargo")
                .args(["tree", "--package", "skill", "--edges", "normal,build"])
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
