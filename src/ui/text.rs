//! Display-width helpers for the screens; they live in [`crate::textwidth`]
//! so the command line measures its tables the same way without the UI.

pub use crate::textwidth::*;
