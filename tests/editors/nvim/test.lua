-- Headless Neovim test of the refnotes plugin against the real server: opens
-- the AWS China example note and checks diagnostics, hover, definition and
-- the quick fix on the figure named in tests/editors/target.json.
-- Run by tests/editors/nvim.sh (env: REFNOTES_BIN, REFNOTES_WS, REFNOTES_REPO).
-- Works on Debian's Neovim 0.7, where the plugin falls back to vim.lsp.start_client.

local bin = assert(os.getenv("REFNOTES_BIN"), "REFNOTES_BIN unset")
local ws = assert(os.getenv("REFNOTES_WS"), "REFNOTES_WS unset")
local repo = assert(os.getenv("REFNOTES_REPO"), "REFNOTES_REPO unset")

local function read(path)
  local file = assert(io.open(path, "r"))
  local text = file:read("*a")
  file:close()
  return text
end

local target = vim.fn.json_decode(read(repo .. "/tests/editors/target.json"))

local function out(...)
  io.stdout:write(table.concat({ ... }, " ") .. "\n")
end

local passed, failed = 0, 0
local function check(ok, what, got)
  if ok then
    passed = passed + 1
    out("PASS", what)
  else
    failed = failed + 1
    out("FAIL", what, "got: " .. vim.inspect(got))
  end
end

local function plain_find(haystack, needle)
  return haystack:find(needle, 1, true)
end

-- The first of the needles that the text contains, if any.
local function find_any(text, needles)
  for _, needle in ipairs(needles) do
    if plain_find(text or "", needle) then
      return needle
    end
  end
end

-- The 0-based line holding the target, and 0-based byte columns of the figure and name.
local function locate(bufnr)
  for lnum, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if plain_find(text, target.line_contains) then
      return lnum - 1, text, plain_find(text, target.figure) - 1, plain_find(text, target.name) - 1
    end
  end
  error("no line contains " .. target.line_contains)
end

local function position(text, line, byte_col)
  return { line = line, character = vim.str_utfindex(text, byte_col) }
end

local function request(bufnr, client_id, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  local response = responses and responses[client_id]
  if not response then
    error(method .. ": no response (" .. tostring(err) .. ")")
  end
  if response.err then
    error(method .. ": " .. vim.inspect(response.err))
  end
  return response.result
end

local function hover_text(result)
  if not result or not result.contents then
    return ""
  end
  local contents = result.contents
  if type(contents) == "string" then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    parts[#parts + 1] = type(part) == "string" and part or part.value
  end
  return table.concat(parts, "\n")
end

local function diagnostic_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function main()
  vim.opt.runtimepath:prepend(repo .. "/editors/nvim")
  local refnotes = require("refnotes")
  refnotes.setup({ cmd = { bin, "serve" } })

  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/" .. target.note))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo[bufnr].filetype == "markdown", "note opens as markdown", vim.bo[bufnr].filetype)

  local client
  vim.wait(5000, function()
    client = vim.lsp.get_active_clients({ name = "refnotes" })[1]
    return client ~= nil and vim.lsp.buf_is_attached(bufnr, client.id)
  end, 20)
  check(client ~= nil, "the plugin started a refnotes client for the note", vim.lsp.get_active_clients())
  if not client then
    return
  end
  check(client.config.root_dir == ws, "workspace root is the folder with refnotes.toml", client.config.root_dir)
  vim.wait(10000, function()
    return client.initialized
  end, 20)

  -- 1. diagnostics: the figure-mismatch on the target figure, from refnotes
  local line, text, figure_col, name_col = locate(bufnr)
  local function target_diagnostic()
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
      if diagnostic_code(d) == target.code and d.col <= figure_col and d.end_col >= figure_col + #target.figure then
        return d
      end
    end
  end
  vim.wait(20000, function()
    return target_diagnostic() ~= nil
  end, 50)
  local diagnostic = target_diagnostic()
  check(diagnostic ~= nil, ("%s diagnostic on %q (line %d)"):format(target.code, target.figure, line + 1),
    vim.diagnostic.get(bufnr))
  if diagnostic then
    check(diagnostic.source == "refnotes", "diagnostic source is refnotes", diagnostic.source)
    local related = diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.relatedInformation
    check(related and #related > 0, "diagnostic points at the source passage (relatedInformation)", related)
  end

  -- 2. hover on the name: the deal value, with the source it comes from
  local hover = hover_text(request(bufnr, client.id, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = position(text, line, name_col + 1),
  }))
  local value_shown = find_any(hover, target.source_values) ~= nil
  local corpus_named = find_any(hover, vim.fn.readdir(ws .. "/corpus")) ~= nil
    or find_any(hover, vim.tbl_map(function(file)
      return vim.fn.fnamemodify(file, ":r")
    end, vim.fn.readdir(ws .. "/corpus"))) ~= nil
  check(value_shown and corpus_named, ("hover on %q shows the source's value and where it is"):format(target.name), hover)

  -- 3. definition on the figure: a corpus file, on a line stating the source's value
  local figure_position = position(text, line, figure_col + 1)
  local definition = request(bufnr, client.id, "textDocument/definition", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = figure_position,
  })
  if definition and definition.uri == nil then
    definition = definition[1]
  end
  if definition and definition.targetUri then
    definition = { uri = definition.targetUri, range = definition.targetSelectionRange }
  end
  local source_line = ""
  if definition then
    local path = vim.uri_to_fname(definition.uri)
    source_line = vim.fn.readfile(path)[definition.range.start.line + 1] or ""
    check(plain_find(path, ws .. "/corpus/") == 1, "definition is in a corpus file", path)
  end
  check(find_any(source_line, target.source_values) ~= nil,
    "definition lands on the source line that states the value", { definition = definition, line = source_line })
  if definition then
    vim.lsp.util.jump_to_location(definition, client.offset_encoding or "utf-16")
    check(vim.api.nvim_buf_get_name(0) == vim.uri_to_fname(definition.uri), "jump opens the source file",
      vim.api.nvim_buf_get_name(0))
    vim.cmd("buffer " .. bufnr)
  end

  -- 4. the quick fix rewrites the figure to the source's
  local actions = request(bufnr, client.id, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = figure_position, ["end"] = figure_position },
    context = { diagnostics = diagnostic and vim.lsp.diagnostic.get_line_diagnostics(bufnr, line) or {} },
  }) or {}
  local fix
  for _, action in ipairs(actions) do
    if action.kind == "quickfix" and action.edit and find_any(vim.inspect(action.edit), target.fixed_figures) then
      fix = action
      break
    end
  end
  check(fix ~= nil, ("a quick fix offers one of %s"):format(table.concat(target.fixed_figures, ", ")), actions)
  if fix then
    vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or "utf-16")
    local fixed = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
    check(find_any(fixed, target.fixed_figures) and not plain_find(fixed, target.figure),
      ("applying %q rewrites the figure"):format(fix.title), fixed)
  end

  -- 5. shutdown: the server exits when asked
  local exited = false
  client.config.on_exit = nil
  vim.lsp.stop_client(client.id)
  exited = vim.wait(5000, function()
    return client.is_stopped()
  end, 20)
  check(exited, "server stops on shutdown/exit", exited)
end

local ok, err = pcall(main)
if not ok then
  failed = failed + 1
  out("ERROR", tostring(err))
end
out(("nvim: %d passed, %d failed"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
