; Module specifiers: require "x", load "x" (no receiver), and require_relative "x", whose
; path is relative to the file's directory.
(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . (string) @import)
  (#match? @_m "^(require|load)$"))
(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . (string) @import.relative)
  (#eq? @_m "require_relative"))
