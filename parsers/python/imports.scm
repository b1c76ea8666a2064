; Module specifiers: import a.b, import a.b as c, from a.b import c, from . import c.
(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import name: (dotted_name) @import))
(import_from_statement module_name: (dotted_name) @import)
(import_from_statement module_name: (relative_import) @import)
(future_import_statement "__future__" @import)
