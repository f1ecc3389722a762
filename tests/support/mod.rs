//! Helpers shared by the integration tests (`mod support;` in a test file).
//! The LSP and CLI test files include only their own helpers, by path
//! (`#[path = "support/lsp.rs"] mod lsp;`), so this module's tests run once.

#![allow(dead_code)]

pub mod markers;
