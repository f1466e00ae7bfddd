"""Documents: form templates and their versions (fields, validation, scoring), filled documents, signatures, sealed PDFs."""
