//! Widgets shared by the screens.

pub mod field;
pub mod form;
pub mod keyhints;
pub mod popup;
pub mod table;
