//! Widgets shared by the screens.

pub mod candidates;
pub mod field;
pub mod form;
pub mod keyhints;
pub mod paged_list;
pub mod popup;
pub mod search;
pub mod table;
pub mod window;
