//! The interactive face: screens over the same library the headless views
//! use. [`crate::session`] loads, `app` holds the state and the keys, the `*_screen`
//! modules draw, `terminal` owns the terminal; `theme` and `config` are the
//! looks and the settings file.

pub mod app;
mod audio;
pub mod clipboard;
pub mod column_chooser;
pub mod config;
mod effect;
mod flow_keys;
pub mod flow_screen;
pub mod keys;
pub mod list_screen;
mod screen;
mod status_bar;
pub mod terminal;
pub mod text_screens;
pub mod theme;

pub use crate::session::Session;
pub use app::App;
