; Module specifiers: import a.b, import a.b as c, from a.b import c, from . import c.
; A `from` import also lists the names it imports (`from m import x, y as z`: x, y), which the
; import graph resolves as submodules; each name matches once, and the matches of one
; statement are reported as one import.
(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import name: (dotted_name) @import))
(import_from_statement module_name: [(dotted_name) (relative_import)] @import)
(import_from_statement
  module_name: [(dotted_name) (relative_import)] @import
  name: (dotted_name) @import.name)
(import_from_statement
  module_name: [(dotted_name) (relative_import)] @import
  name: (aliased_import name: (dotted_name) @import.name))
(future_import_statement "__future__" @import)
