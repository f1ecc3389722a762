//! refnotes checks research notes against the sources they were written from.
//!
//! The engine is plain Rust over byte offsets and knows nothing of editors:
//! [`extract`] finds figures, entities, quotes and citations in text,
//! [`corpus`] loads and indexes source documents, and [`check`] compares a
//! note with the corpus and reports [`check::Finding`]s. The command-line
//! checker ([`cli`]) and the language server ([`server`]) are thin front ends
//! over that one engine.

pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod extract;
pub mod project;
pub mod server;
pub mod shared;
pub mod text;

#[cfg(test)]
mod test_support;
