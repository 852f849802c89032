//! The example's words, one table per language it speaks (en, de, fr): its own texts by key,
//! and the toolkit texts it words its own way (they name the skill and what it can do).
//!
//! The skill's spoken name in each language, which the invocation name in `models/<code>.json`
//! should match: Mail Companion, Mail Begleiter, Compagnon Mail.

use linked_skill::TextTable;

mod de;
mod en;
mod fr;

/// Every table; `skill()` registers them all.
pub(crate) const ALL: [&TextTable; 3] = [&en::TEXTS, &de::TEXTS, &fr::TEXTS];
