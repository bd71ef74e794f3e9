//! guanhuai (关怀): the member roster, hardship ledger, talks and visits, help fund,
//! needs survey and honours of a party branch, in one local SQLite file.

pub mod cli;
pub mod clock;
pub mod db;
pub mod domain;
pub mod fsutil;
pub mod interchange;
pub mod textwidth;
pub mod ui;
