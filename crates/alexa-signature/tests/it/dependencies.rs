//! The verifier does no I/O: nothing that opens sockets is in its dependency tree.

use std::process::Command;

#[test]
fn no_io_crate_is_in_the_dependency_tree() {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            "alexa-signature",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    // The listing is real: the verifier's own webpki dependency is in it.
    assert!(names.contains(&"rustls-webpki"), "{tree}");
    let forbidden = |name: &str| {
        [
            "tokio",
            "reqwest",
            "hyper",
            "mio",
            "axum",
            "aws-lc-sys",
            "aws-lc-rs",
            "openssl",
        ]
        .contains(&name)
    };
    let found: Vec<&&str> = names.iter().filter(|name| forbidden(name)).collect();
    assert!(
        found.is_empty(),
        "the verifier must do no I/O and use ring only, but depends on {found:?}:\n{tree}"
    );
}
