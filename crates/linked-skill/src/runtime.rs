//! Running a skill as a binary: [`run`] (Lambda, `invoke FILE|-`, `serve`, `scopes`, logging),
//! the settings it reads from the environment with the skill-ID policy, and the JSON handler
//! for a transport of one's own. A skill's `main` needs only [`run`], which the crate root
//! re-exports.

use std::sync::Arc;

use google_api::BoxFuture;
use serde_json::Value;
use tokio::time::Instant;

use crate::Error;

pub(crate) mod logging;
mod run;
mod settings;

pub use run::run;
pub use settings::{SKILL_ID_CHECK_VARIABLE, Settings, SettingsError, SkillIdCheck};

/// A skill's request handler as a plain function of JSON, for any transport (Lambda, an HTTPS
/// server): `handler(event, arrived)`, where `arrived` is when the request reached the process.
pub type JsonHandler =
    Arc<dyn Fn(Value, Instant) -> BoxFuture<'static, Result<Value, Error>> + Send + Sync>;
