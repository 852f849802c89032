//! The runner's side of the dialog-file keys about the device and the user's stored state
//! (format/device.rs, format/stored.rs): it sets the Echo's time zone at the settings twin, seeds
//! and reads the user's item in the chain's state table, takes DynamoDB down for a step, and
//! checks and shows the progressive responses a request's answer was preceded by.

use std::collections::BTreeMap;

use anyhow::Context as _;
use devstack::{alexa::requests::DEVICE_ID, google};
use serde_json::{Value, json};

use super::format::{
    DeviceSetup, DynamoDbCondition, Expect, StateSeed, StepSetup, StoredExpect, Text, spoken_text,
};
use crate::chain::Chain;
use devstack::alexa::conversation::Exchange;

/// One expectation that failed: what, expected, actual.
pub(crate) type Mismatch = (&'static str, String, String);

/// Sets the device's settings at the settings twin.
pub(crate) fn set_device(chain: &Chain, device: &DeviceSetup) -> Vec<String> {
    match &device.time_zone {
        Some(zone) => {
            chain.skill_api.set_time_zone(DEVICE_ID, zone);
            vec![format!("· the Echo's time zone is {zone} (Alexa app)")]
        }
        None => Vec::new(),
    }
}

/// The device's zone, which Alexa counts "today" and "tomorrow" in when it fills date slots.
pub(crate) fn time_zone(device: &DeviceSetup) -> Option<jiff::tz::TimeZone> {
    // The file's parser has checked the name already.
    device
        .time_zone
        .as_deref()
        .and_then(|name| jiff::tz::TimeZone::get(name).ok())
}

/// Replaces the user's item with `seed`, written under its Google account (`user` by default).
pub(crate) async fn seed_state(
    chain: &Chain,
    seed: &StateSeed,
    user: &str,
) -> anyhow::Result<Vec<String>> {
    let account = seed.google_account.as_deref().unwrap_or(user);
    let sub = sub_of(account)?;
    chain
        .state
        .put(json!({
            "attributes": {"S": seed.attributes.to_string()},
            "version": {"N": "1"},
            "googleSub": {"S": sub},
        }))
        .await?;
    Ok(vec![format!(
        "· DynamoDB holds the user's state {} (written under {account})",
        seed.attributes
    )])
}

/// What a step sets up before its action; the lines for the transcript.
pub(crate) async fn before_step(
    chain: &Chain,
    setup: &StepSetup,
    user: &str,
) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    if let Some(device) = &setup.device {
        lines.extend(set_device(chain, device));
    }
    if let Some(seed) = &setup.state {
        lines.extend(seed_state(chain, seed, user).await?);
    }
    if setup.dynamodb == Some(DynamoDbCondition::Down) {
        chain.state.gate.set_down(true);
        lines.push("· DynamoDB stops answering".to_owned());
    }
    Ok(lines)
}

/// Undoes what lasts only for the step (DynamoDB comes back).
pub(crate) fn after_step(chain: &Chain, setup: &StepSetup) -> Vec<String> {
    if setup.dynamodb.is_some() && chain.state.gate.is_down() {
        chain.state.gate.set_down(false);
        return vec!["· DynamoDB answers again".to_owned()];
    }
    Vec::new()
}

/// The progressive responses Alexa played before `request`'s answer, as the user hears them.
pub(crate) fn progressive_lines(chain: &Chain, request: &Value) -> Vec<String> {
    let Some(request_id) = request["request"]["requestId"].as_str() else {
        return Vec::new();
    };
    chain
        .skill_api
        .received(request_id)
        .progressive
        .iter()
        .map(|speech| format!("  Alexa  ({})", spoken_text(speech)))
        .collect()
}

/// Checks `progressive`, `event_time` and `stored`; returns the transcript lines and the
/// mismatches.
pub(crate) async fn check(
    chain: &Chain,
    expect: &Expect,
    exchange: Option<&Exchange>,
) -> anyhow::Result<(Vec<String>, Vec<Mismatch>)> {
    let mut lines = Vec::new();
    let mut mismatches = Vec::new();
    let request = exchange.map(|exchange| &exchange.request);
    if let (Some(expected), Some(exchange)) = (&expect.event_time, exchange) {
        let speech = crate::chain::speech(&exchange.response);
        let now = jiff::Timestamp::now();
        if !expected
            .accepts(speech, now)
            .map_err(|problem| anyhow::anyhow!(problem))?
        {
            mismatches.push((
                "speech naming the event's time",
                format!(
                    "text matching one of /{}/",
                    expected.patterns(now).unwrap_or_default().join("/ or /")
                ),
                format!("{speech:?}"),
            ));
        }
    }
    if let (Some(expected), Some(request)) = (&expect.progressive, request) {
        let request_id = request["request"]["requestId"].as_str().unwrap_or_default();
        let actual: Vec<String> = chain
            .skill_api
            .received(request_id)
            .progressive
            .iter()
            .map(|speech| spoken_text(speech))
            .collect();
        let matches = expected.len() == actual.len()
            && expected
                .iter()
                .zip(&actual)
                .all(|(expected, actual)| expected.accepts(actual));
        if !matches {
            let expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
            mismatches.push((
                "progressive responses",
                format!("[{}]", expected.join(", ")),
                format!("{actual:?}"),
            ));
        }
    }
    if let (Some(expected), Some(exchange)) = (&expect.session_attributes, exchange) {
        let sides = [
            (
                "session attributes Alexa sent back",
                &expected.request,
                &exchange.request["session"]["attributes"],
            ),
            (
                "session attributes the skill set",
                &expected.answer,
                &exchange.response["sessionAttributes"],
            ),
        ];
        for (what, expected, actual) in sides {
            if let Some(expected) = expected
                && let Some((expected, actual)) = attributes_differ(expected, actual)
            {
                mismatches.push((what, expected, actual));
            }
        }
    }
    if let Some(expected) = &expect.stored {
        let item = chain.state.item().await?;
        let stored = Stored::read(item.as_ref())?;
        lines.push(match &stored {
            None => "  · DynamoDB: nothing stored for the user".to_owned(),
            Some(stored) => format!(
                "  · DynamoDB: the user's state {} (under {})",
                stored.attributes,
                stored
                    .google_account
                    .as_deref()
                    .unwrap_or("no Google account")
            ),
        });
        check_stored(expected, stored.as_ref(), &mut mismatches);
    }
    Ok((lines, mismatches))
}

/// The user's item as the dialog speaks of it.
struct Stored {
    attributes: Value,
    google_account: Option<String>,
}

impl Stored {
    fn read(item: Option<&Value>) -> anyhow::Result<Option<Stored>> {
        let Some(item) = item else {
            return Ok(None);
        };
        let text = item["attributes"]["S"]
            .as_str()
            .context("the stored item has no `attributes` string")?;
        let attributes: Value =
            serde_json::from_str(text).context("the stored `attributes` are not JSON")?;
        // A `sub` of no twin user is named as such, not shown.
        let google_account = item["googleSub"]["S"].as_str().map(|sub| {
            email_of(sub).unwrap_or_else(|| "a Google account not in the twin".to_owned())
        });
        Ok(Some(Stored {
            attributes,
            google_account,
        }))
    }
}

fn check_stored(expected: &StoredExpect, actual: Option<&Stored>, mismatches: &mut Vec<Mismatch>) {
    let shown = |stored: Option<&Stored>| match stored {
        None => "none".to_owned(),
        Some(stored) => format!(
            "{} under {}",
            stored.attributes,
            stored.google_account.as_deref().unwrap_or("no account")
        ),
    };
    match (expected, actual) {
        (StoredExpect::None, None) => {}
        (StoredExpect::None, Some(_)) => {
            mismatches.push(("stored state", "none".to_owned(), shown(actual)));
        }
        (StoredExpect::Item { .. }, None) => {
            mismatches.push(("stored state", "an item".to_owned(), "none".to_owned()));
        }
        (
            StoredExpect::Item {
                attributes,
                google_account,
            },
            Some(stored),
        ) => {
            if let Some(expected) = attributes
                && let Some((expected, actual)) = attributes_differ(expected, &stored.attributes)
            {
                mismatches.push(("stored attributes", expected, actual));
            }
            if let Some(expected) = google_account
                && stored.google_account.as_deref() != Some(expected.as_str())
            {
                mismatches.push((
                    "stored under the Google account",
                    expected.clone(),
                    shown(Some(stored)),
                ));
            }
        }
    }
}

/// Google's `sub` of a twin test user.
fn sub_of(email: &str) -> anyhow::Result<String> {
    let users = google::Config::default().users;
    users
        .iter()
        .find(|user| user.email == email)
        .map(|user| user.sub.clone())
        .with_context(|| {
            let known: Vec<&str> = users.iter().map(|user| user.email.as_str()).collect();
            format!(
                "`google_account: {email}` is not a test user of the Google twin: use one of {}",
                known.join(", ")
            )
        })
}

fn email_of(sub: &str) -> Option<String> {
    google::Config::default()
        .users
        .into_iter()
        .find(|user| user.sub == sub)
        .map(|user| user.email)
}

/// Whether a JSON object's top-level keys and values (a string as it is, any other value as JSON)
/// differ from `expected`, compared whole; then both, shown. A missing object has no keys.
fn attributes_differ(
    expected: &BTreeMap<String, Text>,
    actual: &Value,
) -> Option<(String, String)> {
    let actual: BTreeMap<String, String> = actual
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned);
            (key.clone(), text)
        })
        .collect();
    let same = expected.len() == actual.len()
        && expected
            .iter()
            .all(|(key, text)| actual.get(key).is_some_and(|value| text.accepts(value)));
    if same {
        return None;
    }
    let expected: BTreeMap<&String, String> = expected
        .iter()
        .map(|(key, text)| (key, text.to_string()))
        .collect();
    Some((format!("{expected:?}"), format!("{actual:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogs::format::Text;

    fn stored(attributes: Value, account: Option<&str>) -> Stored {
        Stored {
            attributes,
            google_account: account.map(str::to_owned),
        }
    }

    #[test]
    fn stored_state_is_compared_whole() {
        let expected = StoredExpect::Item {
            attributes: Some(BTreeMap::from([(
                "notesSpreadsheetId".to_owned(),
                Text::Contains("1".to_owned()),
            )])),
            google_account: Some("ada@example.com".to_owned()),
        };
        let mut mismatches = Vec::new();
        let good = stored(
            json!({"notesSpreadsheetId": "1AbC"}),
            Some("ada@example.com"),
        );
        check_stored(&expected, Some(&good), &mut mismatches);
        assert!(mismatches.is_empty(), "{mismatches:?}");

        for (actual, what) in [
            (
                stored(
                    json!({"notesSpreadsheetId": "2", "other": 1}),
                    Some("ada@example.com"),
                ),
                "stored attributes",
            ),
            (
                stored(
                    json!({"notesSpreadsheetId": "1"}),
                    Some("grace@example.com"),
                ),
                "stored under the Google account",
            ),
        ] {
            let mut mismatches = Vec::new();
            check_stored(&expected, Some(&actual), &mut mismatches);
            assert_eq!(mismatches.len(), 1, "{mismatches:?}");
            assert_eq!(mismatches[0].0, what);
        }
        let mut mismatches = Vec::new();
        check_stored(&StoredExpect::None, Some(&good), &mut mismatches);
        check_stored(&expected, None, &mut mismatches);
        assert_eq!(mismatches.len(), 2);
    }

    #[test]
    fn an_item_reads_back_with_its_account() {
        let sub = sub_of("grace@example.com").unwrap();
        let item = json!({"attributes": {"S": "{\"a\":1}"}, "googleSub": {"S": sub}});
        let read = Stored::read(Some(&item)).unwrap().unwrap();
        assert_eq!(read.attributes, json!({"a": 1}));
        assert_eq!(read.google_account.as_deref(), Some("grace@example.com"));
        assert!(
            sub_of("nobody@example.com")
                .unwrap_err()
                .to_string()
                .contains("ada@example.com")
        );
    }
}
