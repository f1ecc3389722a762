-- refnotes language server for Neovim 0.11+ built-in config discovery:
-- with editors/nvim on 'runtimepath', `vim.lsp.enable("refnotes")` is all it takes.
-- Override any field with vim.lsp.config("refnotes", { ... }).
return {
  cmd = { "refnotes", "serve" },
  filetypes = { "markdown" },
  root_markers = { "refnotes.toml", "corpus", "sources" },
  settings = {
    refnotes = {
      corpus = {},
      severity = vim.empty_dict(),
      inlayHints = { enable = true },
    },
  },
}
