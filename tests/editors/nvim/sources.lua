-- Headless Neovim: go to source from a note into a PDF and an HTML page.
-- Opens examples/research-pdf/notes.md (a scratch copy) and, on a figure the
-- study PDF and the press-release page state differently, checks that the
-- hover names the PDF's page and the page's element, and that go to
-- definition opens the extracted text (the readable copy in the cache) on the
-- source's words: the page for the PDF, the article's text for the HTML.
-- Run by tests/editors/nvim-sources.sh (env: REFNOTES_BIN, REFNOTES_WS, REFNOTES_REPO).

local bin = assert(os.getenv("REFNOTES_BIN"), "REFNOTES_BIN unset")
local ws = assert(os.getenv("REFNOTES_WS"), "REFNOTES_WS unset")
local repo = assert(os.getenv("REFNOTES_REPO"), "REFNOTES_REPO unset")

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
  return (haystack or ""):find(needle, 1, true)
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

-- The 0-based line and byte column of `needle` in the buffer.
local function locate(bufnr, needle)
  for lnum, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local col = plain_find(text, needle)
    if col then
      return lnum - 1, text, col - 1
    end
  end
  error("no line contains " .. needle)
end

local function locations(result)
  if not result then
    return {}
  end
  if result.uri or result.targetUri then
    result = { result }
  end
  local list = {}
  for _, location in ipairs(result) do
    list[#list + 1] = {
      uri = location.uri or location.targetUri,
      range = location.range or location.targetSelectionRange,
    }
  end
  return list
end

-- Go to definition on `figure`, jump to the target whose file name starts
-- with `source`, and return the jumped-to buffer's path and cursor line.
local function go_to_source(bufnr, client, figure, source)
  local line, text, col = locate(bufnr, figure)
  local position = { line = line, character = vim.str_utfindex(text, col + 1) }
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }
  local hover = request(bufnr, client.id, "textDocument/hover", params)
  local target
  for _, location in ipairs(locations(request(bufnr, client.id, "textDocument/definition", params))) do
    if plain_find(vim.fn.fnamemodify(vim.uri_to_fname(location.uri), ":t"), source) == 1 then
      target = location
    end
  end
  if not target then
    return hover and hover.contents and hover.contents.value or "", nil, nil
  end
  vim.lsp.util.jump_to_location(target, client.offset_encoding or "utf-16")
  local path = vim.api.nvim_buf_get_name(0)
  local cursor_line = vim.api.nvim_get_current_line()
  vim.cmd("buffer " .. bufnr)
  return hover and hover.contents and hover.contents.value or "", path, cursor_line
end

local function main()
  vim.opt.runtimepath:prepend(repo .. "/editors/nvim")
  require("refnotes").setup({ cmd = { bin, "serve" } })
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/notes.md"))
  local bufnr = vim.api.nvim_get_current_buf()
  local client
  vim.wait(5000, function()
    client = vim.lsp.get_active_clients({ name = "refnotes" })[1]
    return client ~= nil and vim.lsp.buf_is_attached(bufnr, client.id)
  end, 20)
  check(client ~= nil, "the plugin started a refnotes client for the note", vim.lsp.get_active_clients())
  if not client then
    return
  end
  vim.wait(20000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  check(#vim.diagnostic.get(bufnr) > 0, "the note has diagnostics against the PDF and HTML sources",
    vim.diagnostic.get(bufnr))

  -- Into the PDF: the hover names the page, the jump lands on the words.
  local hover, path, line = go_to_source(bufnr, client, "7.4%", "study.pdf-")
  check(plain_find(hover, "[study.pdf p. 1](file://") and plain_find(hover, "study.pdf#page=1)"),
    "hover links the PDF's page", hover)
  check(path ~= nil and plain_find(path, "/refnotes/converted/study.pdf-") ~= nil and path:sub(-4) == ".txt",
    "go to definition opens the PDF's extracted text in the cache", path)
  check(plain_find(line, "associated with a 4.7% increase in admissions"), "the cursor is on the PDF's words", line)
  if path then
    local first = vim.fn.readfile(path)[1] or ""
    check(plain_find(first, "study.pdf"), "the extracted text names the original PDF", first)
  end

  -- Into the HTML page: the article's text, not the page around it.
  hover, path, line = go_to_source(bufnr, client, "$950,000", "press-release.html-")
  check(plain_find(hover, "[press-release.html#cooling](file://"), "hover links the page's element", hover)
  check(plain_find(line, "The city will spend $850,000 on cooling centres"), "the cursor is on the article's words", line)
  if path then
    local text = table.concat(vim.fn.readfile(path), "\n")
    check(not plain_find(text, "cookies") and not plain_find(text, "<script"),
      "the HTML source opens as the article text, without the page around it", text)
  end

  client.config.on_exit = nil
  vim.lsp.stop_client(client.id)
  vim.wait(5000, function()
    return client.is_stopped()
  end, 20)
end

local ok, err = pcall(main)
if not ok then
  failed = failed + 1
  out("ERROR", tostring(err))
end
out(("nvim sources: %d passed, %d failed"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
