-- Headless Neovim as an LSP client of `scholia serve`:
--   SCHOLIA_BIN=... SCHOLIA_FILE=... SCHOLIA_RESULT=out.json nvim --headless --clean -n -c "luafile seed_diagnostics.lua"
-- Opens SCHOLIA_FILE, attaches the server, waits for its diagnostics, writes them (with the text
-- Neovim finds at each position) to SCHOLIA_RESULT as JSON, and checks that every quote diagnostic
-- starts on an opening quotation mark and ends after a closing one.
-- Exit status: 0 all good; 2 no diagnostics in time; 3 a quote diagnostic misplaced; 4 no quote
-- diagnostic at all; 5 a Lua error.
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client) and later (vim.lsp.start).

local function run()
  local bin = assert(os.getenv("SCHOLIA_BIN"), "SCHOLIA_BIN is not set")
  local file = assert(os.getenv("SCHOLIA_FILE"), "SCHOLIA_FILE is not set")
  local out = assert(os.getenv("SCHOLIA_RESULT"), "SCHOLIA_RESULT is not set")
  local timeout = tonumber(os.getenv("SCHOLIA_TIMEOUT_MS") or "20000")

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = "scholia",
    cmd = { bin, "serve" },
    root_dir = vim.fn.getcwd(),
    init_options = { scholia = { debounceMilliseconds = 0 } },
    settings = { scholia = { debounceMilliseconds = 0 } },
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = bufnr })
  else
    client_id = vim.lsp.start_client(config)
    assert(client_id, "vim.lsp.start_client failed")
    assert(vim.lsp.buf_attach_client(bufnr, client_id), "vim.lsp.buf_attach_client failed")
  end

  local got = vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  local diagnostics = vim.diagnostic.get(bufnr)
  local client = vim.lsp.get_client_by_id(client_id)
  local result = {
    nvim = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch,
    offset_encoding = client and client.offset_encoding or vim.NIL,
    api = vim.lsp.start and "vim.lsp.start" or "vim.lsp.start_client+buf_attach_client",
    diagnostics = {},
    misplaced = {},
  }
  local quotes = 0
  for _, d in ipairs(diagnostics) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] or ""
    local end_line = vim.api.nvim_buf_get_lines(bufnr, d.end_lnum, d.end_lnum + 1, false)[1] or ""
    -- lnum/col are 0-based, col in bytes: the text at the position is line:sub(col + 1, ...).
    -- Slice whole spans only (start to end, or to the line's end), never a fixed number of bytes:
    -- an Arabic letter is two bytes, and half of one is not text json_encode accepts.
    local opening = line:sub(d.col + 1, d.lnum == d.end_lnum and d.end_col or #line)
    local before_end = end_line:sub(d.lnum == d.end_lnum and d.col + 1 or 1, d.end_col)
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = code or vim.NIL, severity = d.severity, source = d.source or vim.NIL,
      at = opening,
    })
    if code == "quote" then
      quotes = quotes + 1
      local opens = vim.startswith(opening, "“") or vim.startswith(opening, "«") or vim.startswith(opening, '"')
          or vim.startswith(opening, "„") or vim.startswith(opening, "‘")
      local closes = vim.endswith(before_end, "”") or vim.endswith(before_end, "»") or vim.endswith(before_end, '"')
          or vim.endswith(before_end, "“") or vim.endswith(before_end, "’")
      if not (opens and closes) then
        table.insert(result.misplaced, { lnum = d.lnum, col = d.col, opening = opening, before_end = before_end })
      end
    end
  end

  local handle = assert(io.open(out, "w"))
  handle:write(vim.fn.json_encode(result))
  handle:close()

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)

  if not got then return 2 end
  if #result.misplaced > 0 then return 3 end
  if quotes == 0 then return 4 end
  return 0
end

local ok, status = pcall(run)
if not ok then
  io.stderr:write("seed_diagnostics.lua: " .. tostring(status) .. "\n")
  status = 5
end
if status == 0 then
  vim.cmd("qall!")
else
  vim.cmd("cquit " .. status)
end
