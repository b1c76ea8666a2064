; Imported packages and types: import a.b.C; import static a.b.C.m; import a.b.*;
(import_declaration (scoped_identifier) @import)
(import_declaration (identifier) @import)
