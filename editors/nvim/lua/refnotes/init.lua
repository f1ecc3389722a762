--- refnotes for Neovim: starts the refnotes language server (`refnotes serve`)
--- for Markdown notes under a folder that has a corpus, so diagnostics, hover,
--- go-to-source (gd / <C-]>) and quick fixes work in notes.
---
---   require("refnotes").setup({ cmd = { "refnotes", "serve" }, corpus = { "sources" } })
---
--- Uses vim.lsp.config/vim.lsp.enable on Neovim 0.11+, vim.lsp.start on 0.8+,
--- and vim.lsp.start_client on 0.7.
local M = {}

--- Files or folders that mark the root of a refnotes workspace.
M.root_markers = { "refnotes.toml", "corpus", "sources" }

M.defaults = {
  -- The server command; nil means $REFNOTES_SERVER, else `refnotes` on PATH.
  cmd = nil,
  -- Corpus folders relative to the root, used when there is no refnotes.toml.
  corpus = nil,
  -- Severity per finding code: "error", "warning", "information", "hint" or "off".
  severity = nil,
  -- Extra relative slack when comparing figures (0.01 = 1%).
  tolerance = nil,
  inlay_hints = true,
  filetypes = { "markdown" },
  on_attach = nil,
  capabilities = nil,
}

--- Latest `refnotes/status` notification per client id:
--- { documents, figures, entities, indexing, message }.
M.status = {}

local function has_version(minor)
  return vim.fn.has("nvim-0." .. minor) == 1
end

--- The server command for the options: opts.cmd, $REFNOTES_SERVER, or `refnotes`.
function M.command(opts)
  if opts.cmd then
    return type(opts.cmd) == "string" and { opts.cmd, "serve" } or opts.cmd
  end
  local from_env = os.getenv("REFNOTES_SERVER")
  if from_env and from_env ~= "" then
    return { from_env, "serve" }
  end
  return { "refnotes", "serve" }
end

--- The server's `refnotes` settings section (camelCase, as the server reads it).
function M.server_settings(opts)
  local severity = vim.empty_dict()
  for code, level in pairs(opts.severity or {}) do
    severity[code] = level
  end
  local settings = {
    corpus = opts.corpus or {},
    severity = severity,
    inlayHints = { enable = opts.inlay_hints ~= false },
  }
  if type(opts.tolerance) == "number" then
    settings.tolerance = opts.tolerance
  end
  return settings
end

local function is_dir(path)
  local stat = vim.loop.fs_stat(path)
  return stat ~= nil and stat.type == "directory"
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The folder a note belongs to: the nearest folder at or above the note that
--- has a refnotes.toml, a corpus folder or a sources folder. With a corpus
--- setting and no marker, the note's own folder.
function M.find_root(path, opts)
  if not path or path == "" then
    return nil
  end
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    if exists(dir .. "/refnotes.toml") or is_dir(dir .. "/corpus") or is_dir(dir .. "/sources") then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  if opts and opts.corpus and #opts.corpus > 0 then
    return vim.fn.fnamemodify(path, ":p:h")
  end
  return nil
end

local function on_status(_, result, ctx)
  if ctx and ctx.client_id then
    M.status[ctx.client_id] = result
  end
end

--- The client configuration for a root folder (for vim.lsp.start and friends).
function M.client_config(opts, root)
  local settings = M.server_settings(opts)
  return {
    name = "refnotes",
    cmd = M.command(opts),
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = settings,
    settings = { refnotes = settings },
    handlers = { ["refnotes/status"] = on_status },
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
  }
end

local function warn_missing(cmd)
  if vim.fn.executable(cmd[1]) == 1 then
    return false
  end
  vim.notify(
    ("refnotes: cannot run %s. Install the server with `cargo install --path .` in a refnotes checkout, "
      .. "or pass cmd to require('refnotes').setup()."):format(cmd[1]),
    vim.log.levels.ERROR
  )
  return true
end

-- Neovim 0.7 has no vim.lsp.start: one client per root, attached by hand.
local legacy_clients = {}

local function start_legacy(config, bufnr)
  local client_id = legacy_clients[config.root_dir]
  if not client_id or not vim.lsp.get_client_by_id(client_id) then
    client_id = vim.lsp.start_client(config)
    legacy_clients[config.root_dir] = client_id
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  return client_id
end

--- Starts (or reuses) the server for a buffer; returns the client id, or nil
--- when the buffer is not under a refnotes workspace.
function M.attach(bufnr, opts)
  opts = vim.tbl_deep_extend("force", M.defaults, opts or M.options or {})
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), opts)
  if not root then
    return nil
  end
  local config = M.client_config(opts, root)
  if warn_missing(config.cmd) then
    return nil
  end
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  return start_legacy(config, bufnr)
end

--- Sets up refnotes for Markdown buffers.
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", M.defaults, opts or {})
  if has_version(11) and vim.lsp.config and vim.lsp.enable then
    local settings = M.server_settings(M.options)
    vim.lsp.config("refnotes", {
      cmd = M.command(M.options),
      filetypes = M.options.filetypes,
      root_dir = function(bufnr, on_dir)
        local root = M.find_root(vim.api.nvim_buf_get_name(bufnr), M.options)
        if root then
          on_dir(root)
        end
      end,
      init_options = settings,
      settings = { refnotes = settings },
      handlers = { ["refnotes/status"] = on_status },
      on_attach = M.options.on_attach,
      capabilities = M.options.capabilities,
    })
    vim.lsp.enable("refnotes")
    return
  end
  local group = vim.api.nvim_create_augroup("refnotes", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers already open when setup runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

return M
