//! The sample's words, one table per language it speaks (en, de, fr, es, it, ja): its own texts
//! by key, and the toolkit texts it words its own way (they name the skill and what it can do).
//!
//! The skill's spoken name in each language, which the invocation name in
//! `infra/models/<code>.json` should match: Cloud Companion, Wolken Begleiter, Compagnon Cloud,
//! Compañero Nube, Compagno Cloud, クラウドコンパニオン.

use linked_skill::TextTable;

mod de;
mod en;
mod es;
mod fr;
mod it;
mod ja;

/// Every table; `skill()` registers them all.
pub(crate) const ALL: [&TextTable; 6] = [
    &en::TEXTS,
    &de::TEXTS,
    &fr::TEXTS,
    &es::TEXTS,
    &it::TEXTS,
    &ja::TEXTS,
];
