//! Screens: one struct per tab with its state, a `handle_key` and a `render`.
//! What a key asks of the app (open a popup, show a message) comes back as an
//! [`Outcome`].

pub mod member_form;
pub mod members;
pub mod overview;
pub mod record_forms;
pub mod roster_index;
pub mod settings;
pub mod visits;

use crate::ui::app::{Layer, Status};

/// What handling a key asks of the app.
#[derive(Debug)]
pub enum Outcome {
    /// The key did nothing.
    Nothing,
    /// Something changed: redraw.
    Redraw,
    /// Open a popup or form above the screen.
    Push(Box<Layer>),
    /// Show a message in the status line.
    Status(Status),
}
