//! The language server: the only module that speaks LSP.
