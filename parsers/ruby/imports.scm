; Module specifiers: require "x", require_relative "x", load "x" (no receiver).
(call
  !receiver
  method: (identifier) @_m
  arguments: (argument_list . (string) @import)
  (#match? @_m "^(require|require_relative|load)$"))
