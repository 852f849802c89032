//! The twin's world: what each test user holds in Drive, Sheets, Calendar and Gmail, as plain
//! data with the JSON Google renders it as. The state holds it; handlers read and change it.

pub(crate) mod calendar;
pub(crate) mod drive;
pub(crate) mod gmail;
pub(crate) mod sheets;
