"""`countertalk lsp`: a language server for scenario files (pygls over stdio)."""
