-- Headless Neovim 0.7 test of `refnotes serve --stdio` through the built-in
-- LSP client: diagnostics arrive, hover and definition on a name that follows
-- curly quotes, `gd` lands in the source file, and the server exits cleanly.
-- Run by run.sh (env REFNOTES_BIN, REFNOTES_WS). Exits 1 on any failure.

local server = assert(os.getenv('REFNOTES_BIN'), 'REFNOTES_BIN not set')
local ws = assert(os.getenv('REFNOTES_WS'), 'REFNOTES_WS not set')
local note = ws .. '/notes/deal.md'
local source = ws .. '/corpus/001_harbor.txt'

local function out(...)
  io.stdout:write(table.concat({ ... }, ' ') .. '\n')
end

local failures = 0
local function check(cond, what, got)
  if cond then
    out('PASS', what)
  else
    failures = failures + 1
    out('FAIL', what, 'got: ' .. vim.inspect(got))
  end
end

-- Neovim 0.7 speaks UTF-16 columns; a curly quote is one unit, three bytes.
local function utf16_col(line, needle)
  local byte = assert(line:find(needle, 1, true), needle) - 1
  return vim.str_utfindex(line, byte)
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(note))
  local bufnr = vim.api.nvim_get_current_buf()
  local ready = false
  local exited = false
  local client_id = vim.lsp.start_client({
    name = 'refnotes',
    cmd = { server, 'serve', '--stdio' },
    root_dir = ws,
    handlers = {
      ['refnotes/status'] = function(_, params)
        if params.state == 'ready' then ready = true end
      end,
    },
    on_exit = function(code)
      exited = true
      out('server exited code=' .. tostring(code))
    end,
  })
  assert(client_id, 'start_client failed')
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client failed')

  check(vim.wait(20000, function() return ready or exited end, 20) and ready, 'corpus indexed', ready)

  -- Diagnostics are published for the note (none of them "no-corpus").
  local published = false
  local previous = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    if result and result.uri == vim.uri_from_bufnr(bufnr) then published = true end
    return previous(err, result, ctx, config)
  end
  -- Re-open through a change so a fresh publication follows the handler swap.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { '' })
  check(vim.wait(10000, function() return published end, 20), 'diagnostics published', published)
  local diags = vim.diagnostic.get(bufnr)
  local no_corpus = false
  for _, d in ipairs(diags) do
    if d.source ~= 'refnotes' then no_corpus = true end
    if d.code == 'no-corpus' then no_corpus = true end
  end
  check(not no_corpus, 'diagnostics come from refnotes with a corpus', diags)

  -- Hover on "Harbor Lane Foods" after the curly quotes of line 4.
  local line = vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1]
  local col = utf16_col(line, 'Harbor Lane Foods said') + 2
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 3, character = col },
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 5000)
  local hover = res and res[client_id] and res[client_id].result
  local value = hover and hover.contents and hover.contents.value or ''
  check(value:sub(1, 21) == '**Harbor Lane Foods**', 'hover names the entity', hover)

  -- Definition lands on the name inside the source line that has curly quotes.
  res = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, 5000)
  local locations = res and res[client_id] and res[client_id].result or {}
  local source_line = io.open(source):read('*a'):match('[^\n]*\n[^\n]*\n[^\n]*\n([^\n]*)')
  local want = utf16_col(source_line, 'Harbor Lane Foods.')
  local target
  for _, location in ipairs(locations) do
    if location.uri == vim.uri_from_fname(source) and location.range.start.line == 3 then
      target = location
    end
  end
  check(target and target.range.start.character == want, 'definition on source line 4, column ' .. want, locations)

  if target then
    vim.lsp.util.jump_to_location(target, 'utf-16')
    local cursor = vim.api.nvim_win_get_cursor(0)
    local byte = source_line:find('Harbor Lane Foods.', 1, true) - 1
    check(vim.api.nvim_buf_get_name(0) == source and cursor[1] == 4 and cursor[2] == byte,
      'jump lands on the name in the source', { vim.api.nvim_buf_get_name(0), cursor })
  end

  -- Definition on a citation key goes to the start of the cited document.
  vim.cmd('buffer ' .. bufnr)
  local key_col = utf16_col(line, '001_harbor') + 1
  params.position = { line = 3, character = key_col }
  res = vim.lsp.buf_request_sync(bufnr, 'textDocument/definition', params, 5000)
  local cited = res and res[client_id] and res[client_id].result or {}
  check(#cited == 1 and cited[1].uri == vim.uri_from_fname(source) and cited[1].range.start.line == 0,
    'definition on [@001_harbor] opens the source', cited)

  vim.lsp.stop_client(client_id)
  check(vim.wait(5000, function() return exited end, 20), 'server exits after shutdown and exit', exited)
end

local ok, err = pcall(main)
if not ok then
  failures = failures + 1
  out('ERROR', tostring(err))
end
out(failures == 0 and 'RESULT: OK' or ('RESULT: ' .. failures .. ' failure(s)'))
if failures == 0 then vim.cmd('qall!') else vim.cmd('cquit 1') end
