//! Installs what the test suite needs and a fresh machine lacks: Debian's Chromium with its
//! ChromeDriver, and a Python venv with the real client libraries the twins are checked against.
//!
//! Every step checks first and does nothing when the tool is already there, so `cargo xtask ci`
//! stays fast on a machine that has run it before.

use std::{fs, path::Path, process::Command};

use anyhow::{Context, bail};

use crate::run as run_command;

/// Python packages the tests use, pinned so a new release cannot change what we test against.
/// Bumping a pin re-creates the venv (the list is stamped into it).
const PYTHON_PACKAGES: &[&str] = &[
    // Google's own client: ships the discovery documents of Drive, Calendar and Sheets.
    "google-api-python-client==2.202.0",
    // Google's token refresh against a custom `token_uri`.
    "google-auth==2.63.0",
    // Amazon's model of every Alexa request and response shape.
    "ask-sdk-model==1.82.0",
    // The serializer that turns JSON into ask-sdk-model objects lives in the core SDK.
    "ask-sdk-core==1.19.0",
    // google-auth's HTTP transport for token refresh.
    "requests==2.34.2",
    // The Lambda Runtime API emulator behind `devstack::lambda` (`cargo lambda watch
    // --only-lambda-apis`). Its wheel requires ziglang (~100 MB), which only its build
    // subcommand uses.
    "cargo-lambda==1.9.2",
    // The offline AWS for the deploy tests (S3, CloudFormation, Lambda, IAM, Logs), no Docker.
    "moto[server]==5.2.5",
    // CloudFormation's linter with its bundled resource specs: checks infra/template.yaml offline.
    "cfn-lint==1.58.0",
    // Amazon's SMAPI model: `provision account-linking show` must deserialize into its
    // AccountLinkingRequest (crates/provision/tests/python/smapi_model_check.py).
    "ask-smapi-model==1.36.0",
    // Amazon's request-signature verifier: the judge of devstack's Alexa signer and the Python
    // side of scripts/bench-serve.sh (scripts/alexa_python_verifier.py), under flask + gunicorn.
    "ask-sdk-webservice-support==1.3.3",
    "flask==3.1.3",
    "gunicorn==23.0.0",
];

/// Debian packages and the binaries that show they are installed.
const DEBIAN_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    // The login page's redirect_uri rule is property-tested in Node (crates/login-page tests).
    ("nodejs", "/usr/bin/node"),
];

pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    install_debian_packages()?;
    install_python_venv(root)?;
    Ok(())
}

fn install_debian_packages() -> anyhow::Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .filter(|(_, binary)| !Path::new(binary).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask setup: installing {} from Debian", missing.join(", "));
    let apt = |args: &[&str]| -> anyhow::Result<()> {
        let mut command = Command::new("apt-get");
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        let status = command
            .status()
            .context("could not run apt-get: install chromium and chromium-driver by hand")?;
        if !status.success() {
            bail!(
                "`apt-get {}` failed with {status}: as root, run `apt-get update && apt-get \
                 install chromium chromium-driver`",
                args.join(" ")
            );
        }
        Ok(())
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

fn install_python_venv(root: &Path) -> anyhow::Result<()> {
    // The one place that knows where the venv lives; the tests look there too.
    let venv = devstack::venv::venv_dir().map_err(anyhow::Error::msg)?;
    let stamp = venv.join("xtask-packages.txt");
    let wanted = PYTHON_PACKAGES.join("\n");
    if fs::read_to_string(&stamp).is_ok_and(|found| found == wanted) {
        return Ok(());
    }
    eprintln!("xtask setup: creating the Python venv {}", venv.display());
    if venv.exists() {
        fs::remove_dir_all(&venv)
            .with_context(|| format!("could not remove the stale venv {}", venv.display()))?;
    }
    let venv_arg = venv.to_str().context("the workspace path is not UTF-8")?;
    run_command(root, "python3", &["-m", "venv", venv_arg])
        .context("could not create a venv: install python3 with its venv module")?;
    let python = venv.join("bin/python");
    let python = python.to_str().context("the workspace path is not UTF-8")?;
    let mut args = vec![
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ];
    args.extend(PYTHON_PACKAGES);
    run_command(root, python, &args)
        .context("could not install the Python test packages from PyPI")?;
    fs::write(&stamp, wanted).context("could not stamp the venv")?;
    Ok(())
}
