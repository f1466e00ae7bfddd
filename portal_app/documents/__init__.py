"""Documents: form templates and their versions (fields, validation, scoring); documents, signing and PDFs build on them."""
