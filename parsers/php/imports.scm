; Imported namespaces and classes: use A\B; use A\B as C (A\B only, not the alias);
; use A\{B, C as D} (the prefix A, naming B and C).
(namespace_use_declaration (namespace_use_clause . [(qualified_name) (name)] @import))
(namespace_use_declaration
  (namespace_name) @import
  body: (namespace_use_group (namespace_use_clause . [(qualified_name) (name)] @import.name)))
; Included files: require/include(_once) "x.php", also in parentheses, and
; __DIR__ . "/x.php", a path relative to the file's directory.
(include_expression [(string) (encapsed_string)] @import)
(include_expression (parenthesized_expression [(string) (encapsed_string)] @import))
(include_expression
  (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative)
  (#eq? @_dir "__DIR__"))
(include_expression
  (parenthesized_expression
    (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative))
  (#eq? @_dir "__DIR__"))
(include_once_expression [(string) (encapsed_string)] @import)
(include_once_expression (parenthesized_expression [(string) (encapsed_string)] @import))
(include_once_expression
  (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative)
  (#eq? @_dir "__DIR__"))
(include_once_expression
  (parenthesized_expression
    (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative))
  (#eq? @_dir "__DIR__"))
(require_expression [(string) (encapsed_string)] @import)
(require_expression (parenthesized_expression [(string) (encapsed_string)] @import))
(require_expression
  (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative)
  (#eq? @_dir "__DIR__"))
(require_expression
  (parenthesized_expression
    (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative))
  (#eq? @_dir "__DIR__"))
(require_once_expression [(string) (encapsed_string)] @import)
(require_once_expression (parenthesized_expression [(string) (encapsed_string)] @import))
(require_once_expression
  (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative)
  (#eq? @_dir "__DIR__"))
(require_once_expression
  (parenthesized_expression
    (binary_expression left: (name) @_dir right: [(string) (encapsed_string)] @import.relative))
  (#eq? @_dir "__DIR__"))
