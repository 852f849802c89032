//! The page's own `redirect_uri` rule, cut out of the rendered page and run in Node against random
//! mutations of Alexa's three redirect URLs: it accepts the exact allowed forms and nothing else.
//!
//! Node's `URL` class follows the same WHATWG URL standard as Chromium's, so what the rule accepts
//! here is what it accepts in the browser; the Chromium tests in `refusals` and `forwarding`
//! cover the page as a whole.

use std::cell::{Cell, RefCell};
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use login_page::{LoginPageConfig, OAuthClient, VendorId};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::stand_in::{CLIENT_ID, SCOPES, VENDOR_ID};

const NODE: &str = "node";
/// Enough to find the classic parser tricks while keeping the suite fast; one Node process per
/// property answers every case.
const CASES: u32 = 400;
const RULE_START: &str = "  function redirectUriProblem(value, config) {\n";
/// The rule's closing brace, at the indentation of its `function` line.
const RULE_END: &str = "\n  }\n";

/// A random edit of a URL, applied at a position chosen relative to its current length.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(Index, String),
    /// Inserts at the end, where a lax path check would let a suffix through.
    Append(String),
    Replace(Index, String),
    Delete(Index),
    /// Repeats the characters between two positions.
    Duplicate(Index, Index),
    ToUppercase(Index),
    /// Replaces one character by its `%XX` form.
    PercentEncode(Index),
}

#[test]
fn with_a_vendor_id_only_the_three_exact_redirect_urls_are_accepted() {
    let allowed = exact_redirect_urls(VENDOR_ID);
    check_rule(Some(VENDOR_ID), mutated_redirect_url(), |candidate| {
        allowed.iter().any(|url| url == candidate)
    });
}

#[test]
fn without_a_vendor_id_only_alexa_origins_with_a_vendor_shaped_path_are_accepted() {
    check_rule(None, mutated_redirect_url(), |candidate| {
        login_page::ALEXA_REDIRECT_ORIGINS.iter().any(|origin| {
            candidate
                .strip_prefix(origin)
                .and_then(|path| path.strip_prefix("/api/skill/link/"))
                .is_some_and(|vendor_id| VendorId::new(vendor_id).is_ok())
        })
    });
}

/// Runs the rule in one Node process for every case of `candidates`, asserting it accepts a
/// candidate exactly when `is_allowed` says so and never throws.
fn check_rule(
    vendor_id: Option<&str>,
    candidates: impl Strategy<Value = String>,
    is_allowed: impl Fn(&str) -> bool,
) {
    let mut rule = NodeRule::start(&page_rule_source());
    let config = json!({
        "allowedRedirectOrigins": login_page::ALEXA_REDIRECT_ORIGINS,
        "vendorId": vendor_id,
    });
    // A rule that refused everything would pass the property for most cases, so first the exact
    // URLs themselves.
    for valid in exact_redirect_urls(VENDOR_ID) {
        assert_eq!(
            rule.problem(&valid, &config),
            Ok(None),
            "{valid} is accepted"
        );
    }
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let rule = RefCell::new(rule);
    let accepted = Cell::new(0_u32);
    let outcome = runner.run(&candidates, |candidate| {
        let problem = rule.borrow_mut().problem(&candidate, &config);
        let problem = problem.map_err(TestCaseError::fail)?;
        if problem.is_none() {
            accepted.set(accepted.get() + 1);
        }
        prop_assert_eq!(
            problem.is_none(),
            is_allowed(&candidate),
            "redirect_uri {:?}: the page says {:?}",
            candidate,
            problem
        );
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    // The strategy keeps some URLs unmutated, so acceptance itself is exercised by the property.
    assert!(accepted.get() > 0, "no case was an allowed URL");
}

/// One of the three exact URLs, changed by zero to four random edits.
fn mutated_redirect_url() -> impl Strategy<Value = String> {
    let base = prop::sample::select(exact_redirect_urls(VENDOR_ID));
    let mutations = prop::collection::vec(mutation(), 0..=4);
    (base, mutations).prop_map(|(base, mutations)| {
        let mut characters: Vec<char> = base.chars().collect();
        for mutation in mutations {
            apply(&mut characters, &mutation);
        }
        characters.into_iter().collect()
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), fragment()).prop_map(|(at, text)| Mutation::Insert(at, text)),
        3 => (any::<Index>(), fragment()).prop_map(|(at, text)| Mutation::Replace(at, text)),
        2 => fragment().prop_map(Mutation::Append),
        2 => any::<Index>().prop_map(Mutation::Delete),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Mutation::Duplicate(from, to)),
        1 => any::<Index>().prop_map(Mutation::ToUppercase),
        1 => any::<Index>().prop_map(Mutation::PercentEncode),
    ]
}

/// Text that URL parsers treat specially (separators, characters they strip or map, look-alike
/// and IDNA-mapped characters), pieces of the valid URLs, or any character at all.
fn fragment() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        ":",
        ":443",
        ":80",
        ":0",
        "@",
        "user@",
        "user:pass@",
        "#",
        "?",
        "/",
        "//",
        "\\",
        ".",
        "..",
        "/.",
        "/..",
        "%2e",
        "%2E",
        "%2f",
        "%5c",
        "%00",
        "%20",
        "%41",
        "\t",
        "\n",
        "\r",
        " ",
        "\0",
        "\u{ad}",
        "\u{200b}",
        "\u{feff}",
        "\u{3002}",
        "\u{ff0e}",
        "\u{212a}",
        "\u{131}",
        "A",
        "a",
        "0",
        "Z",
        "xn--",
        "https:",
        "http:",
        "HTTPS://",
        "ws:",
        "amazon.com",
        "amazon.co.jp",
        "pitangui",
        "layla",
        "alexa",
        ".evil.example",
        "evil.example/",
        "api",
        "skill",
        "link",
        "MFERJAF7R6NLZ",
        "M3BVP74N95SP1F",
        "[::1]",
        "127.0.0.1",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        4 => special,
        1 => any::<char>().prop_map(String::from),
    ]
}

fn apply(characters: &mut Vec<char>, mutation: &Mutation) {
    // Positions run from 0 to the length inclusive, so text can also be added at the end.
    let position = |index: &Index, length: usize| index.index(length + 1);
    let length = characters.len();
    match mutation {
        Mutation::Insert(at, text) => {
            let at = position(at, length);
            characters.splice(at..at, text.chars());
        }
        Mutation::Append(text) => characters.extend(text.chars()),
        Mutation::Replace(at, text) if length > 0 => {
            let at = at.index(length);
            characters.splice(at..=at, text.chars());
        }
        Mutation::Delete(at) if length > 0 => {
            characters.remove(at.index(length));
        }
        Mutation::Duplicate(from, to) => {
            let (start, end) = {
                let (a, b) = (position(from, length), position(to, length));
                (a.min(b), a.max(b))
            };
            let copy: Vec<char> = characters[start..end].to_vec();
            characters.splice(end..end, copy);
        }
        Mutation::ToUppercase(at) if length > 0 => {
            let at = at.index(length);
            let upper: Vec<char> = characters[at].to_uppercase().collect();
            characters.splice(at..=at, upper);
        }
        Mutation::PercentEncode(at) if length > 0 => {
            let at = at.index(length);
            let mut utf8 = [0; 4];
            let encoded: String = characters[at]
                .encode_utf8(&mut utf8)
                .bytes()
                .map(|byte| format!("%{byte:02X}"))
                .collect();
            characters.splice(at..=at, encoded.chars());
        }
        // Replacing, deleting or changing a character of an empty URL leaves it empty.
        Mutation::Replace(..)
        | Mutation::Delete(_)
        | Mutation::ToUppercase(_)
        | Mutation::PercentEncode(_) => {}
    }
}

fn exact_redirect_urls(vendor_id: &str) -> Vec<String> {
    login_page::ALEXA_REDIRECT_ORIGINS
        .iter()
        .map(|origin| format!("{origin}/api/skill/link/{vendor_id}"))
        .collect()
}

/// The rule's source text, cut from the page `render` produces: from its `function` line to its
/// closing brace at the same indentation.
fn page_rule_source() -> String {
    let client = OAuthClient::new(CLIENT_ID, SCOPES).expect("the test client is valid");
    let config = LoginPageConfig::google(Some(VendorId::new(VENDOR_ID).expect("valid")), client);
    let page = login_page::render(&config);
    let start = page
        .find(RULE_START)
        .expect("the rendered page defines redirectUriProblem(value, config)");
    let length = page[start..]
        .find(RULE_END)
        .expect("redirectUriProblem ends with a brace at its own indentation");
    page[start..start + length + RULE_END.len()].to_owned()
}

/// A Node process that has loaded the rule and answers one JSON line per JSON line it reads.
struct NodeRule {
    process: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl NodeRule {
    fn start(rule_source: &str) -> Self {
        // The rule is compiled once in strict mode, like in the page; a mistake in it shows as a
        // `thrown` answer rather than a crash.
        let program = format!(
            "'use strict';\n{rule_source}\n\
             const lines = require('readline').createInterface({{ input: process.stdin }});\n\
             lines.on('line', (line) => {{\n\
               const request = JSON.parse(line);\n\
               let answer;\n\
               try {{\n\
                 answer = {{ problem: redirectUriProblem(request.value, request.config) }};\n\
               }} catch (error) {{\n\
                 answer = {{ thrown: String(error) }};\n\
               }}\n\
               process.stdout.write(JSON.stringify(answer) + '\\n');\n\
             }});\n"
        );
        let mut process = Command::new(NODE)
            .arg("--eval")
            .arg(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "could not start {NODE} ({error}): run `cargo xtask setup` to install Debian's nodejs"
                )
            });
        let input = process.stdin.take().expect("stdin is piped");
        let output = BufReader::new(process.stdout.take().expect("stdout is piped"));
        Self {
            process,
            input,
            output,
        }
    }

    /// What the rule says about `value`: `Ok(None)` for accepted, `Ok(Some(reason))` for refused,
    /// `Err` when it threw or Node failed.
    fn problem(&mut self, value: &str, config: &Value) -> Result<Option<String>, String> {
        let request = json!({ "value": value, "config": config });
        writeln!(self.input, "{request}").map_err(|error| format!("writing to node: {error}"))?;
        self.input
            .flush()
            .map_err(|error| format!("writing to node: {error}"))?;
        let mut line = String::new();
        let read = self
            .output
            .read_line(&mut line)
            .map_err(|error| format!("reading from node: {error}"))?;
        if read == 0 {
            return Err("node exited before answering".to_owned());
        }
        let answer: Value = serde_json::from_str(&line)
            .map_err(|error| format!("node answered {line:?}, not JSON: {error}"))?;
        match (&answer["problem"], &answer["thrown"]) {
            (Value::Null, Value::Null) => Ok(None),
            (Value::String(problem), _) => Ok(Some(problem.clone())),
            (_, thrown) => Err(format!("the rule threw for {value:?}: {thrown}")),
        }
    }
}

impl Drop for NodeRule {
    fn drop(&mut self) {
        // Node exits by itself once stdin closes; kill covers a process stuck for any reason.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
