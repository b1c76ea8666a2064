; Module specifiers: ES imports and re-exports, import x = require("x"),
; require("x") and import("x").
(import_statement source: (string) @import)
(export_statement source: (string) @import)
(import_require_clause source: (string) @import)
(call_expression
  function: (identifier) @_fn
  arguments: (arguments . (string) @import)
  (#eq? @_fn "require"))
(call_expression
  function: (import)
  arguments: (arguments . (string) @import))
