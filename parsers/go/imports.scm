; Imported package paths: import "fmt" and import ( ... ) blocks.
(import_spec path: (_) @import)
