//! What a skill binary reads from its environment, and the skill-ID policy of the modes that
//! face Alexa (fail closed unless `SKILL_ID_CHECK=off`).

use alexa_model::SkillId;

/// What a skill binary reads from its environment: `SKILL_ID`, `GOOGLE_API_ROOT` and the state
/// store (`SKILL_STATE_TABLE` with the AWS variables).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Requests for any other skill are refused. `None` accepts every skill ID; the Lambda mode
    /// refuses to start that way unless told to ([`Settings::skill_id_check`]).
    pub skill_id: Option<SkillId>,
    pub endpoints: google_api::Endpoints,
    /// Where users' state lives; `None` keeps none (docs/user-state.md).
    pub state_store: Option<user_state::DynamoDbSettings>,
}

/// The environment holds something unusable; the message names the variable to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("SKILL_ID is not a skill ID ({detail}): set it to your skill's `amzn1.ask.skill.…` ID")]
    SkillId { detail: String },
    #[error(
        "SKILL_ID is not set: set it to your skill's `amzn1.ask.skill.…` ID so requests for other \
         skills are refused (or set SKILL_ID_CHECK=off to accept every skill, for testing only)"
    )]
    SkillIdMissing,
    #[error("SKILL_ID_CHECK=off contradicts SKILL_ID: unset one of them")]
    SkillIdCheckContradiction,
    #[error("SKILL_ID_CHECK must be `off` (or unset), not {value:?}")]
    SkillIdCheckValue { value: String },
    #[error(transparent)]
    GoogleApiRoot(google_api::Error),
    #[error(transparent)]
    StateStore(user_state::SettingsError),
}

impl Settings {
    /// `SKILL_ID` (optional) and `GOOGLE_API_ROOT` (optional: Google's own hosts by default).
    pub fn from_env() -> Result<Settings, SettingsError> {
        let skill_id = match std::env::var("SKILL_ID") {
            Ok(value) if !value.trim().is_empty() => Some(SkillId::parse(value.trim()).map_err(
                |error| SettingsError::SkillId {
                    detail: error.to_string(),
                },
            )?),
            _ => None,
        };
        let endpoints = google_api::Endpoints::from_env().map_err(SettingsError::GoogleApiRoot)?;
        let state_store =
            user_state::DynamoDbSettings::from_env().map_err(SettingsError::StateStore)?;
        Ok(Settings {
            skill_id,
            endpoints,
            state_store,
        })
    }
}

/// How a mode that faces Alexa (Lambda, an HTTPS server) checks the skill ID: see
/// [`Settings::skill_id_check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkillIdCheck<'a> {
    /// Requests for any other skill are refused.
    Enforced(&'a SkillId),
    /// Every skill's requests are accepted: `SKILL_ID_CHECK=off` said so explicitly.
    Off,
}

/// The variable that turns the skill-ID check off (`off`) where it is otherwise required.
pub const SKILL_ID_CHECK_VARIABLE: &str = "SKILL_ID_CHECK";

impl Settings {
    /// The skill-ID check of a mode that faces Alexa, which fails closed: without `SKILL_ID` it
    /// is an error unless `SKILL_ID_CHECK=off` is set explicitly (a function reachable by
    /// another skill's trigger, or by a hand-made one without skill-ID verification, must not
    /// silently answer it). `invoke` does not call this: it handles local files.
    pub fn skill_id_check(&self) -> Result<SkillIdCheck<'_>, SettingsError> {
        let check = std::env::var(SKILL_ID_CHECK_VARIABLE).ok();
        skill_id_check(self.skill_id.as_ref(), check.as_deref())
    }
}

fn skill_id_check<'a>(
    skill_id: Option<&'a SkillId>,
    check: Option<&str>,
) -> Result<SkillIdCheck<'a>, SettingsError> {
    let check = check.map(str::trim).unwrap_or_default();
    match (skill_id, check) {
        (Some(skill_id), "" | "on") => Ok(SkillIdCheck::Enforced(skill_id)),
        (None, "" | "on") => Err(SettingsError::SkillIdMissing),
        (None, "off") => Ok(SkillIdCheck::Off),
        (Some(_), "off") => Err(SettingsError::SkillIdCheckContradiction),
        (_, other) => Err(SettingsError::SkillIdCheckValue {
            value: other.chars().take(40).collect(),
        }),
    }
}

#[cfg(test)]
mod skill_id_check_tests {
    use alexa_model::SkillId;

    use super::{SettingsError, SkillIdCheck, skill_id_check};

    #[test]
    fn the_check_fails_closed() {
        let skill_id = SkillId::parse("amzn1.ask.skill.7c9a5ab3-4c5f-4f2a-9c1e-0123456789ab")
            .expect("a valid skill ID");
        let enforced = Ok(SkillIdCheck::Enforced(&skill_id));
        type Case<'a> = (
            Option<&'a SkillId>,
            Option<&'a str>,
            Result<SkillIdCheck<'a>, &'a str>,
        );
        let cases: [Case<'_>; 8] = [
            (Some(&skill_id), None, enforced),
            (Some(&skill_id), Some(""), enforced),
            (Some(&skill_id), Some("on"), enforced),
            (None, None, Err("SKILL_ID is not set")),
            (None, Some(" "), Err("SKILL_ID is not set")),
            (None, Some("off"), Ok(SkillIdCheck::Off)),
            (Some(&skill_id), Some("off"), Err("contradicts SKILL_ID")),
            (None, Some("false"), Err("must be `off`")),
        ];
        for (skill_id, check, expected) in cases {
            let actual = skill_id_check(skill_id, check);
            match (&actual, &expected) {
                (Ok(actual), Ok(expected)) => assert_eq!(actual, expected, "{check:?}"),
                (Err(error), Err(fragment)) => assert!(
                    error.to_string().contains(fragment),
                    "{check:?}: {error} lacks {fragment:?}"
                ),
                _ => panic!("{skill_id:?} {check:?}: {actual:?}, expected {expected:?}"),
            }
        }
        // The message names the fix.
        assert!(
            SettingsError::SkillIdMissing
                .to_string()
                .contains("SKILL_ID_CHECK=off")
        );
    }
}
