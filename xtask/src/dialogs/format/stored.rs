//! The dialog-file keys about the user's stored state (DynamoDB, played by moto): a state seeded
//! before the dialog or a step (`state:`), what a step leaves stored (`stored:`), and a DynamoDB
//! that stops answering for one step (`dynamodb: down`).

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Deserializer, de};
use serde_json::Value;

use super::Text;

/// `state:`: the user's item as the skill left it in an earlier session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateSeed {
    /// The skill's state document (a map), e.g. `{notesSpreadsheetId: 1AbC}`.
    #[serde(deserialize_with = "json_object")]
    pub(crate) attributes: Value,
    /// The Google account the state was written under; the dialog's `user` when left out.
    #[serde(default)]
    pub(crate) google_account: Option<String>,
}

fn json_object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if !value.is_object() {
        return Err(de::Error::custom(
            "`attributes:` is the skill's state document, a map like `{notesSpreadsheetId: 1AbC}`",
        ));
    }
    Ok(value)
}

/// `stored:` after a step: `none` (no item), or the item's attributes and account.
#[derive(Debug, Clone)]
pub(crate) enum StoredExpect {
    None,
    Item {
        /// Every top-level key of the state document with its value (a string as it is, any
        /// other value as JSON); keys not listed must not be there.
        attributes: Option<BTreeMap<String, Text>>,
        /// The Google account the item belongs to.
        google_account: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredItemFile {
    #[serde(default)]
    attributes: Option<BTreeMap<String, Text>>,
    #[serde(default)]
    google_account: Option<String>,
}

impl<'de> Deserialize<'de> for StoredExpect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StoredExpect, D::Error> {
        struct StoredVisitor;

        impl<'de> de::Visitor<'de> for StoredVisitor {
            type Value = StoredExpect;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("`none`, or a map with `attributes` and `google_account`")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<StoredExpect, E> {
                match text {
                    "none" => Ok(StoredExpect::None),
                    other => Err(E::custom(format!(
                        "`stored: {other}`: write `stored: none` for no item, or \
                         `stored: {{attributes: {{…}}}}`"
                    ))),
                }
            }

            fn visit_map<M: de::MapAccess<'de>>(self, map: M) -> Result<StoredExpect, M::Error> {
                let file = StoredItemFile::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if file.attributes.is_none() && file.google_account.is_none() {
                    return Err(de::Error::custom(
                        "`stored: {}` checks nothing: name `attributes` or `google_account`",
                    ));
                }
                Ok(StoredExpect::Item {
                    attributes: file.attributes,
                    google_account: file.google_account,
                })
            }
        }

        deserializer.deserialize_any(StoredVisitor)
    }
}

/// `dynamodb:` on a step: how DynamoDB behaves while the step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DynamoDbCondition {
    /// The endpoint stops answering: calls hang until the skill gives up on them.
    Down,
}

/// What a step sets up before its action, besides the action itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct StepSetup {
    /// The device's settings from this step on.
    pub(crate) device: Option<super::device::DeviceSetup>,
    /// The user's item, replaced before the step.
    pub(crate) state: Option<StateSeed>,
    /// DynamoDB during this step only.
    pub(crate) dynamodb: Option<DynamoDbCondition>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_is_none_or_a_map_that_checks_something() {
        assert!(matches!(
            serde_saphyr::from_str::<StoredExpect>("none").unwrap(),
            StoredExpect::None
        ));
        let item: StoredExpect = serde_saphyr::from_str(
            "{attributes: {notesSpreadsheetId: {matches: '^1'}}, google_account: ada@example.com}",
        )
        .unwrap();
        let StoredExpect::Item {
            attributes: Some(attributes),
            google_account: Some(account),
        } = item
        else {
            panic!("{item:?}");
        };
        assert!(attributes["notesSpreadsheetId"].accepts("1AbC"));
        assert_eq!(account, "ada@example.com");
        for (text, problem) in [
            ("nothing", "write `stored: none`"),
            ("{}", "checks nothing"),
            ("{attributes: {}, extra: 1}", "unknown field"),
        ] {
            let error = serde_saphyr::from_str::<StoredExpect>(text)
                .unwrap_err()
                .to_string();
            assert!(error.contains(problem), "{text}: {error}");
        }
    }

    #[test]
    fn a_seeded_state_is_a_map() {
        let seed: StateSeed =
            serde_saphyr::from_str("{attributes: {notesSpreadsheetId: x}}").unwrap();
        assert_eq!(seed.attributes["notesSpreadsheetId"], "x");
        let error = serde_saphyr::from_str::<StateSeed>("{attributes: [1]}")
            .unwrap_err()
            .to_string();
        assert!(error.contains("state document, a map"), "{error}");
    }
}
